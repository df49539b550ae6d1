-- A reader's sync page reads public changes only. Through sync_changes_position it stepped over every change readers
-- never see (drafts, quotes of nothing public) to find them, and a page's one batch reads its changes five times
-- (Sync/SyncRepository.cs), so a long run of such changes cost five times over.
create index if not exists sync_changes_public_position on sync_changes (tx, seq) where ever_public;

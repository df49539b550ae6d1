-- Delivery history: cheaper to write, and not kept for ever.
-- Every write stores its revision's state (about 4 KB of JSON) and, per subscription, a webhook payload of the same
-- size; both are compressed on the way in. lz4 compresses them at a fraction of pglz's CPU (and decompresses faster
-- for the revision and delivery listings). Applies to values written from now on; older ones stay readable as pglz.
alter table revisions alter column state set compression lz4;
alter table webhook_deliveries alter column payload set compression lz4;

-- Delivered and dead deliveries are deleted after Webhooks:RetentionDays, oldest first.
create index webhook_deliveries_done on webhook_deliveries (created_at) where status <> 'pending';

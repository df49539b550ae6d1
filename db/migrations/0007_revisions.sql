-- Revisions: every version of an article, quote, person or source, written in the transaction of the change.
-- A delete keeps the last state as version + 1 (as sync_changes counts it); an undelete continues from there.

create table revisions (
  entity           text not null check (entity in ('article','quote','person','source')),
  id               uuid not null,
  version          integer not null check (version >= 1),
  op               text not null check (op in ('create','update','publish','unpublish','delete','restore','undelete')),
  -- The item as an editor's GET returned it after the change (for a delete: before it).
  state            jsonb not null,
  changed_at       timestamptz not null default now(),
  -- The API key's id (text: the bootstrap key has none of its own), null for the command line and sample loader.
  changed_by_id    text,
  changed_by_name  text not null,
  -- Newest-first lists walk this key backwards; versions of one item are unique, so a lost race cannot fork history.
  primary key (entity, id, version)
);

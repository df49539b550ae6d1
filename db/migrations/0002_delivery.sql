-- Delivery: API keys, idempotent creates and the change feed behind GET /v1/sync.

create table api_keys (
  id          uuid primary key,
  name        text not null check (length(name) between 1 and 200),
  role        text not null check (role in ('reader','editor','admin')),
  -- First characters of the key, so people can tell keys apart; the key itself is never stored.
  prefix      text not null,
  key_hash    bytea not null,
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz,
  constraint api_keys_hash_key unique (key_hash)
);

create table idempotency_keys (
  principal     text not null,
  key           text not null check (length(key) between 1 and 255),
  request_hash  bytea not null,
  -- Null while the first request is still running.
  status        integer,
  location      text,
  body          text,
  created_at    timestamptz not null default now(),
  primary key (principal, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

-- One row per entity: its latest change. tx is the writing transaction's id, so a reader of the feed can stop
-- below the oldest transaction still running (pg_snapshot_xmin) and never skip a change that commits late.
create sequence sync_seq;

create table sync_changes (
  entity       text not null check (entity in ('article','quote','person','source')),
  id           uuid not null,
  tx           xid8 not null,
  seq          bigint not null,
  version      integer not null,
  deleted      boolean not null default false,
  -- Sticky: once readers could have seen the entity, they must hear about its later changes and deletion.
  ever_public  boolean not null default false,
  primary key (entity, id)
);
create index sync_changes_position on sync_changes (tx, seq);

create function record_change() returns trigger
language plpgsql as $$
declare
  entity_id uuid;
  entity_version integer;
  is_public boolean;
begin
  if tg_op = 'DELETE' then
    entity_id := old.id;
    entity_version := old.version + 1;
    is_public := false;
    if tg_argv[0] = 'article' then
      is_public := old.status = 'published' and old.published_at <= now();
    end if;
  else
    entity_id := new.id;
    entity_version := new.version;
    -- IF, not CASE: plpgsql resolves new.status only in the branch taken, and only articles have it.
    -- Public means readers can see it now or could until this change; a scheduled article's id stays private
    -- until its time (readers get it then through the release window of the feed, not through this row).
    if tg_argv[0] = 'article' then
      is_public := new.status = 'published' and new.published_at <= now();
      if tg_op = 'UPDATE' then
        is_public := is_public or (old.status = 'published' and old.published_at <= now());
      end if;
    elsif tg_argv[0] = 'quote' then
      is_public := exists (
        select 1 from article_quotes aq join articles a on a.id = aq.article_id
        where aq.quote_id = new.id and a.status = 'published' and a.published_at <= now());
    else
      is_public := true;
    end if;
  end if;

  insert into sync_changes as c (entity, id, tx, seq, version, deleted, ever_public)
  values (tg_argv[0], entity_id, pg_current_xact_id(), nextval('sync_seq'), entity_version, tg_op = 'DELETE', is_public)
  on conflict (entity, id) do update
    set tx = excluded.tx, seq = excluded.seq, version = excluded.version, deleted = excluded.deleted,
        ever_public = c.ever_public or excluded.ever_public;
  return null;
end
$$;

create trigger articles_sync after insert or update or delete on articles for each row execute function record_change('article');
create trigger quotes_sync after insert or update or delete on quotes for each row execute function record_change('quote');
create trigger people_sync after insert or update or delete on people for each row execute function record_change('person');
create trigger sources_sync after insert or update or delete on sources for each row execute function record_change('source');

-- Content written before this migration enters the feed once.
insert into sync_changes (entity, id, tx, seq, version, ever_public)
select 'person', id, pg_current_xact_id(), nextval('sync_seq'), version, true from people
union all
select 'source', id, pg_current_xact_id(), nextval('sync_seq'), version, true from sources
union all
select 'article', id, pg_current_xact_id(), nextval('sync_seq'), version, status = 'published' and published_at <= now() from articles
union all
select 'quote', q.id, pg_current_xact_id(), nextval('sync_seq'), q.version,
       exists (select 1 from article_quotes aq join articles a on a.id = aq.article_id
               where aq.quote_id = q.id and a.status = 'published' and a.published_at <= now())
from quotes q;

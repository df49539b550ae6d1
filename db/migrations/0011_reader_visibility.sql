-- What readers may see, defined once: a published article whose time has come. A scheduled article (published, with a
-- future published_at) becomes visible by itself. SQL and STABLE so PostgreSQL inlines it: queries that call it still
-- match the partial index articles_visible (where status = 'published').
create function article_visible(status text, published_at timestamptz) returns boolean
language sql stable parallel safe
as $$ select status = 'published' and published_at <= now() $$;

-- The sync trigger, unchanged but for using the definitions above.
create or replace function record_change() returns trigger
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
      is_public := article_visible(old.status, old.published_at);
    end if;
  else
    entity_id := new.id;
    entity_version := new.version;
    -- IF, not CASE: plpgsql resolves new.status only in the branch taken, and only articles have it.
    -- Public means readers can see it now or could until this change; a scheduled article's id stays private
    -- until its time (readers get it then through the release window of the feed, not through this row).
    if tg_argv[0] = 'article' then
      is_public := article_visible(new.status, new.published_at);
      if tg_op = 'UPDATE' then
        is_public := is_public or article_visible(old.status, old.published_at);
      end if;
    elsif tg_argv[0] = 'quote' then
      -- A quote is public through a visible article.
      is_public := exists (
        select 1 from article_quotes aq join articles a on a.id = aq.article_id
        where aq.quote_id = new.id and article_visible(a.status, a.published_at));
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

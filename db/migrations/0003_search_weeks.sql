-- Ranked search ranks the newest matches of a query. The GIN index on articles.search can only hand out every match
-- of a term (at 1M articles a common term has 65,000, 26 ms to read), so a second index keeps each article's lexemes
-- under its publication week ('2895/bank'): the matches of the last few weeks are then a few small posting lists,
-- however large the archive. Infrastructure/RankedWindow.cs uses it; bench/README.md has the measurements.

-- The week of a timestamp (Unix weeks); null for null and ±infinity. Declared immutable: extract(epoch ...) is marked
-- stable only because other fields of extract depend on the time zone; the epoch does not.
create or replace function search_week(at timestamptz) returns integer
language sql immutable parallel safe
as $$ select case when isfinite(at) then floor(extract(epoch from at) / 604800)::integer end $$;

-- The lexemes of a tsvector prefixed with the week (no positions or weights: the index only finds candidates).
create or replace function search_weekly(search tsvector, at timestamptz) returns tsvector
language sql immutable parallel safe
as $$
  select case when search_week(at) is null then ''::tsvector
    else array_to_tsvector(array(select search_week(at) || '/' || u.lexeme from unnest(search) as u)) end
$$;

-- Building it at 1M articles took 3 min 47 s on the benchmark machine (writes wait for it meanwhile).
-- fastupdate off, here and on the plain search index: a GIN pending list is read whole by every scan, and a ranked
-- search scans the weekly index once per week (after a few thousand article writes at 1M, 200 pending pages each).
create index if not exists articles_search_weekly on articles using gin (search_weekly(search, published_at)) with (fastupdate = off);
alter index articles_search set (fastupdate = off);
select gin_clean_pending_list('articles_search'::regclass);

-- Statistics for the new index's expression (the planner estimates a query's matches from them).
analyze articles;

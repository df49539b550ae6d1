-- Autovacuum evaluates index expressions with search_path set to pg_catalog alone (PostgreSQL 17 does so for every
-- VACUUM, ANALYZE, CREATE INDEX and REINDEX). search_weekly called search_week by name, so every automatic analyze of
-- articles failed ("function search_week(timestamp with time zone) does not exist"): the planner's statistics for
-- articles stayed as the migrations' own ANALYZE left them, and autovacuum retried the analyze, a sample of up to
-- 30,000 rows thrown away, every minute while articles were written. A SQL-standard body is resolved when the function
-- is created, so it finds search_week under any search_path; it gives the same values and still inlines, so the index
-- built on it stands.
create or replace function search_weekly(search tsvector, at timestamptz) returns tsvector
language sql immutable parallel safe
return case when search_week(at) is null then ''::tsvector
  else array_to_tsvector(array(select search_week(at) || '/' || u.lexeme from unnest(search) as u)) end;

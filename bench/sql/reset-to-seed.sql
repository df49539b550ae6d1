-- A reused database back to what its seed wrote: the rows the write scenarios added since (created quotes, imported
-- articles and their people, revisions) go, so every run reads the same data. Left in place they pile up run after
-- run (at 100k: 437,000 quotes and 5,000 imported drafts after a day of runs, which made a search for the import
-- story's names read 5,000 drafts). Articles the update scenario edited keep their edits: the same 1,000 rows every run.
-- Idempotency-Keys and webhook deliveries stay (their own retention bounds them): a table emptied and analyzed gets
-- seq-scan plans that prepared statements keep until autoanalyze, and a run's create-quote would measure that.
-- Parameter :seeded, the instant the seed ended. Replica mode skips the sync triggers (no tombstones for rows no
-- reader has seen) and the foreign-key actions, so the links go first, explicitly.
set session_replication_role = replica;
begin;
create temp table gone_articles on commit drop as select id from articles where created_at > :'seeded';
create temp table gone_quotes on commit drop as select id from quotes where created_at > :'seeded';
create temp table gone_people on commit drop as select id from people where created_at > :'seeded';
delete from article_people x using gone_articles g where x.article_id = g.id;
delete from article_sources x using gone_articles g where x.article_id = g.id;
delete from article_quotes x using gone_articles g where x.article_id = g.id;
delete from article_quotes x using gone_quotes g where x.quote_id = g.id;
delete from articles x using gone_articles g where x.id = g.id;
delete from quotes x using gone_quotes g where x.id = g.id;
delete from people x using gone_people g where x.id = g.id;
delete from sync_changes x using gone_articles g where x.entity = 'article' and x.id = g.id;
delete from sync_changes x using gone_quotes g where x.entity = 'quote' and x.id = g.id;
delete from sync_changes x using gone_people g where x.entity = 'person' and x.id = g.id;
delete from revisions where changed_at > :'seeded';
select format('reset to the seed: %s articles, %s quotes, %s people removed',
  (select count(*) from gone_articles), (select count(*) from gone_quotes), (select count(*) from gone_people));
commit;

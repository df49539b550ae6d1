-- Story import (POST /v1/imports): people's roles over time, and where each imported quote sits in its article's body.

-- Roles a person has held: [{ "title", "affiliation", "from", "to" }], dates as YYYY-MM-DD or null (open).
-- jsonb on the row rather than a table: roles are read and written with the person, never queried on their own.
alter table people add column roles jsonb not null default '[]' check (jsonb_typeof(roles) = 'array');

-- Where a quote's text sits in the article body: block index and code-point offsets, as the import found them.
-- Null for quotes linked by hand.
alter table article_quotes add column body_block integer check (body_block >= 0);
alter table article_quotes add column body_start integer check (body_start >= 0);
alter table article_quotes add column body_end integer check (body_end >= body_start);

-- Corrections of published articles: an append-only list of { at, text } kept on the row itself, so the readers' GET
-- batch reads them with the article in the same statement. A constant default makes the new column free to add.
alter table articles add column corrections jsonb not null default '[]'
  constraint articles_corrections_array check (jsonb_typeof(corrections) = 'array');

-- ContentApi schema v1: people, sources, quotes, articles and their links.
-- Ids are UUID v7 made by the application; versions grow by one on every change.

create extension if not exists pg_trgm;

-- Text search configuration for a BCP 47 language tag. Declared immutable so generated
-- columns can use it; the mapping is fixed by this migration and never changes in place.
create function content_regconfig(lang text) returns regconfig
language sql immutable parallel safe
as $$
  select case split_part(lower(lang), '-', 1)
    when 'id' then 'indonesian'::regconfig
    when 'en' then 'english'::regconfig
    else 'simple'::regconfig
  end
$$;

-- The searchable text of an article body: paragraph and heading texts, image captions, embed titles.
create function article_body_text(body jsonb) returns text
language sql immutable parallel safe
as $$
  select coalesce(string_agg(coalesce(b->>'text', b->>'caption', b->>'title'), ' '), '')
  from jsonb_array_elements(body) as b
$$;

-- Name plus aliases as one string for trigram (typo-tolerant) matching.
create function person_names(name text, aliases text[]) returns text
language sql immutable parallel safe
as $$ select name || ' ' || coalesce(array_to_string(aliases, ' '), '') $$;

create domain slug as text
  check (length(value) between 1 and 120 and value ~ '^[a-z0-9]+(-[a-z0-9]+)*$');

create table people (
  id            uuid primary key,
  slug          slug not null,
  name          text not null check (length(name) between 1 and 200),
  aliases       text[] not null default '{}',
  title         text,
  affiliation   text,
  description   text,
  wikidata_id   text check (wikidata_id ~ '^Q[1-9][0-9]*$'),
  image_url     text,
  version       integer not null default 1 check (version >= 1),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint people_slug_key unique (slug)
);
create index people_names_trgm on people using gin (person_names(name, aliases) gin_trgm_ops);
create index people_name_id on people (name, id);
create index people_updated on people (updated_at, id);

create table sources (
  id            uuid primary key,
  slug          slug not null,
  name          text not null check (length(name) between 1 and 200),
  kind          text not null check (kind in ('agency','newspaper','broadcaster','magazine','website','government','organization','other')),
  url           text,
  country       text check (country ~ '^[A-Z]{2}$'),
  version       integer not null default 1 check (version >= 1),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint sources_slug_key unique (slug)
);
create index sources_name_trgm on sources using gin (name gin_trgm_ops);
create index sources_name_id on sources (name, id);
create index sources_kind_name_id on sources (kind, name, id);

create table quotes (
  id                 uuid primary key,
  text               text not null check (length(text) between 1 and 10000),
  language           text not null check (language ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
  type               text not null check (type in ('direct','partial','indirect')),
  -- Restrict, never cascade: a quote without its speaker is a misattribution waiting to happen.
  speaker_id         uuid not null references people (id) on delete restrict,
  speaker_role       text,
  said_on            date,
  occasion           text,
  source_id          uuid references sources (id) on delete restrict,
  source_url         text,
  translation_of_id  uuid references quotes (id) on delete restrict,
  version            integer not null default 1 check (version >= 1),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  search             tsvector generated always as (to_tsvector(content_regconfig(language), text)) stored,
  constraint quotes_not_own_translation check (translation_of_id is null or translation_of_id <> id)
);
-- Keyset order for quote lists is newest first by id (UUID v7 is time-ordered).
create index quotes_speaker on quotes (speaker_id, id);
create index quotes_source on quotes (source_id, id);
create index quotes_language on quotes (language, id);
create index quotes_said_on on quotes (said_on, id);
create index quotes_translation_of on quotes (translation_of_id);
create index quotes_search on quotes using gin (search);

create table articles (
  id            uuid primary key,
  slug          slug not null,
  title         text not null check (length(title) between 1 and 300),
  summary       text,
  language      text not null check (language ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'),
  status        text not null default 'draft' check (status in ('draft','published','archived')),
  published_at  timestamptz,
  section       text,
  tags          text[] not null default '{}',
  byline        text,
  hero_image    jsonb,
  body          jsonb not null default '[]' check (jsonb_typeof(body) = 'array'),
  version       integer not null default 1 check (version >= 1),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  -- Keyset sort key: drafts without a date sort after every dated article in newest-first lists.
  published_sort timestamptz generated always as (coalesce(published_at, '-infinity'::timestamptz)) stored,
  search        tsvector generated always as (
                  setweight(to_tsvector(content_regconfig(language), title), 'A') ||
                  setweight(to_tsvector(content_regconfig(language), coalesce(summary, '')), 'B') ||
                  setweight(to_tsvector(content_regconfig(language), article_body_text(body)), 'C')) stored,
  constraint articles_slug_key unique (slug),
  constraint articles_published_has_date check (status <> 'published' or published_at is not null)
);
create index articles_published on articles (published_sort, id);
create index articles_visible on articles (published_at, id) where status = 'published';
create index articles_updated on articles (updated_at, id);
create index articles_status on articles (status, published_sort, id);
create index articles_language on articles (language, published_sort, id);
create index articles_tags on articles using gin (tags);
create index articles_search on articles using gin (search);

create table article_people (
  article_id  uuid not null references articles (id) on delete cascade,
  person_id   uuid not null references people (id) on delete restrict,
  role        text not null check (role in ('subject','mentioned','author')),
  position    integer not null,
  primary key (article_id, person_id, role)
);
create index article_people_person on article_people (person_id, article_id);

create table article_sources (
  article_id  uuid not null references articles (id) on delete cascade,
  source_id   uuid not null references sources (id) on delete restrict,
  relation    text not null check (relation in ('cited','reported-via')),
  position    integer not null,
  primary key (article_id, source_id, relation)
);
create index article_sources_source on article_sources (source_id, article_id);

create table article_quotes (
  article_id  uuid not null references articles (id) on delete cascade,
  quote_id    uuid not null references quotes (id) on delete restrict,
  position    integer not null,
  primary key (article_id, quote_id)
);
create index article_quotes_quote on article_quotes (quote_id, article_id);

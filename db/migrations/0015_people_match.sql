-- Matching an import's names against people (ImportRepository.MatchPeople): exact names and aliases through one GIN
-- lookup, and similar spellings of a full name ("Kamala Haris") through a trigram index on the name alone. The trigram
-- index on name and aliases together (people_names_trgm) made a common first name such as "Budi" fetch and recheck
-- every person with it in any name, most of an import's database time at 50k people.

-- Name and aliases, lowercased, as one array: "@> array[lower(x)]" finds a person by any of them.
create function person_lower_names(name text, aliases text[]) returns text[]
language sql immutable parallel safe
as $$ select array(select lower(n) from unnest(array_prepend(name, aliases)) as n) $$;

create index people_lower_names on people using gin (person_lower_names(name, aliases));
create index people_lower_name_trgm on people using gin (lower(name) gin_trgm_ops);

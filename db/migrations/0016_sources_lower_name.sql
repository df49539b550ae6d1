-- Matching an import's outlets against sources (ImportRepository.MatchSources) by name regardless of case or by slug:
-- with an index on each side of the "or", PostgreSQL reads the one or two rows instead of every source per outlet.
create index sources_lower_name on sources (lower(name));

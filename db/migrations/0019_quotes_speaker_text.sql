-- An import reuses a speaker's quote with the same words (ImportRepository.SameQuote). By speaker alone, PostgreSQL
-- compared the text of every quote of that speaker, and a prolific speaker has thousands; text itself cannot be a btree
-- key (a quote may exceed an index entry's size), so its md5 is, and the statement still compares the text.
create index quotes_speaker_text on quotes (speaker_id, md5(text));

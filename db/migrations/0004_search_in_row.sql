-- Ranked search ranks up to 300 rows per first page and reads each one's tsvector twice (the own-language check and
-- ts_rank). Stored out of line, every read was a TOAST index lookup and two chunk fetches: 14 buffer visits per ranked
-- row at 1M articles, about 10 of them for the tsvector. Kept in the row, it costs nothing more to reach.
-- storage main: the tsvector (about 2.2 KB for a 3 KB story) is moved out of the row only when the row would not fit a
-- page. toast_tuple_target 4096: the body alone then leaves the row; under the default (2 KB) every other column over
-- a few bytes (hero image, summary) was pushed out after it, because the row never got under 2 KB.
-- Rows written before this migration keep their layout until rewritten (VACUUM FULL articles, in a quiet hour).
-- Measured at 100k articles, side by side (bench/README.md): search +14-20 % requests/s, list and get-by-slug unchanged.
alter table articles alter column search set storage main;
alter table articles set (toast_tuple_target = 4096);

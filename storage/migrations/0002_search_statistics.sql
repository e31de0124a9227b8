-- 0002: statistics the search service relies on.
--
-- A larger statistics target for cables.search makes ANALYZE keep more
-- most-common lexemes (pg_stats.most_common_elems, up to 10x the target):
-- the planner's estimates of how many cables match a full-text query (used
-- for "total_is_estimate" totals) get better, and SimilarCables treats the
-- lexemes listed there with a frequency above 0.5% as too common to
-- characterise a cable.
ALTER TABLE cables ALTER COLUMN search SET STATISTICS 1000;

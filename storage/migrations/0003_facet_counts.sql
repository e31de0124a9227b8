-- 0003: counters behind unfiltered facet counts.
--
-- facet_counts holds, per facet ('origin', 'classification', 'caveat',
-- 'tag', 'year') and value, the number of current cable versions carrying
-- it (array entries counted as often as they occur), plus ('total', '') =
-- number of cables. The repository's merge keeps it exact in the same
-- transaction as the cables it changes (sorted upserts, so concurrent
-- batches do not deadlock); GetFacetCounts without a filter reads it
-- instead of scanning 251k rows. Rows may reach count 0; readers skip them.
CREATE TABLE facet_counts (
  facet text NOT NULL,
  value text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (facet, value)
);

INSERT INTO facet_counts (facet, value, count)
SELECT f.facet, f.value, count(*)
FROM cables c,
LATERAL (
  SELECT 'origin', c.origin WHERE c.origin <> ''
  UNION ALL SELECT 'classification', c.classification
    WHERE c.classification <> ''
  UNION ALL SELECT 'caveat', v FROM unnest(c.caveats) v WHERE v <> ''
  UNION ALL SELECT 'tag', v FROM unnest(c.tags) v WHERE v <> ''
  UNION ALL SELECT 'year',
    extract(year FROM c.created AT TIME ZONE 'UTC')::integer::text
    WHERE c.created IS NOT NULL
  UNION ALL SELECT 'total', ''
) AS f(facet, value)
GROUP BY f.facet, f.value;

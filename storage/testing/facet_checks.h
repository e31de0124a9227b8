// SQL for tests: facet_counts (migration 0003, the unfiltered facets) must
// always equal a full recount over `cables`.
//
// Header-only, test-only.
#ifndef CABLES_STORAGE_TESTING_FACET_CHECKS_H_
#define CABLES_STORAGE_TESTING_FACET_CHECKS_H_

namespace cables::storage::testing {

// One row, one column: how many (facet, value) counters differ from a
// recount (0 when all are exact). Run with TestDatabase::Query.
inline constexpr char kFacetCounterMismatches[] = R"sql(
SELECT count(*) FROM (
  SELECT f.facet, f.value, count(*) AS count
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
  GROUP BY f.facet, f.value) a
FULL JOIN (SELECT * FROM facet_counts WHERE count <> 0) b USING (facet, value)
WHERE a.count IS DISTINCT FROM b.count)sql";

}  // namespace cables::storage::testing

#endif  // CABLES_STORAGE_TESTING_FACET_CHECKS_H_

// SQL of PgRecordStore (storage/metadata/) over migration 0005's
// cable_records. Values travel as parameters only.
#ifndef CABLES_STORAGE_SQL_RECORD_QUERIES_H_
#define CABLES_STORAGE_SQL_RECORD_QUERIES_H_

#include "absl/strings/string_view.h"

namespace cables::storage::sql {

// The record filter, shared by list and count:
//   $1 from (timestamptz, NULL = open), $2 until (exclusive, NULL = open),
//   $3 set kind (RecordSet::Kind as int), $4 set values (text[]),
//   $5 year (int).
// The set kind is a constant per query, so PostgreSQL folds the CASE.
#define CABLES_SQL_RECORD_FILTER                                            \
  "($1::timestamptz IS NULL OR r.changed_at >= $1::timestamptz)"            \
  " AND ($2::timestamptz IS NULL OR r.changed_at < $2::timestamptz)"        \
  " AND CASE $3::integer"                                                   \
  "  WHEN 0 THEN true"                                                      \
  "  WHEN 1 THEN r.origin <> ''"                                            \
  "  WHEN 2 THEN r.origin = ANY($4::text[])"                                \
  "  WHEN 3 THEN r.created IS NOT NULL"                                     \
  "  WHEN 4 THEN r.created >= make_timestamptz($5::integer, 1, 1, 0, 0, 0," \
  "   'UTC') AND r.created < make_timestamptz($5::integer + 1, 1, 1, 0, 0," \
  "   0, 'UTC')"                                                            \
  "  WHEN 5 THEN cardinality(r.tags) > 0"                                   \
  "  WHEN 6 THEN r.tags && $4::text[]"                                      \
  "  ELSE false END"

// Columns of one record: id, position, datestamp micros, deleted, origin,
// created micros (NULL when unknown), tags, and (when $6 asks for metadata
// and the record is live) the current version's stored message and number.
// `meta` is the boolean parameter asking for metadata.
#define CABLES_SQL_RECORD_COLUMNS(meta)                                    \
  "SELECT r.canonical_id, r.position,"                                     \
  " (extract(epoch FROM r.changed_at) * 1000000)::bigint, r.deleted,"      \
  " r.origin,"                                                             \
  " CASE WHEN r.created IS NULL THEN NULL"                                 \
  "  ELSE (extract(epoch FROM r.created) * 1000000)::bigint END,"          \
  " r.tags, m.cable, m.version"                                            \
  " FROM cable_records r"                                                  \
  " LEFT JOIN LATERAL ("                                                   \
  "  SELECT v.cable, v.version FROM cables c JOIN cable_versions v"        \
  "  ON v.canonical_id = c.canonical_id AND v.version = c.current_version" \
  "  WHERE " meta                                                          \
  "::boolean AND NOT r.deleted"                                            \
  "  AND c.canonical_id = r.canonical_id) m ON true"

// A page: the filter ($1..$5), metadata flag $6, keyset after ($8
// datestamp, $9 position) when $7, at most $10.
inline constexpr absl::string_view kListRecords = CABLES_SQL_RECORD_COLUMNS(
    "$6") " WHERE " CABLES_SQL_RECORD_FILTER
          " AND (NOT $7::boolean"
          "  OR (r.changed_at, r.position) > ($8::timestamptz, $9::bigint))"
          " ORDER BY r.changed_at, r.position LIMIT $10";

inline constexpr absl::string_view kCountRecords =
    "SELECT count(*) FROM cable_records r WHERE " CABLES_SQL_RECORD_FILTER;

// One record by canonical id $1, metadata flag $2.
inline constexpr absl::string_view kGetRecord =
    CABLES_SQL_RECORD_COLUMNS("$2") " WHERE r.canonical_id = $1";

#undef CABLES_SQL_RECORD_COLUMNS
#undef CABLES_SQL_RECORD_FILTER

inline constexpr absl::string_view kEarliestDatestamp =
    "SELECT (extract(epoch FROM min(changed_at)) * 1000000)::bigint"
    " FROM cable_records";

// Distinct set values: kind ('origin', 'year', 'tag') and value, sorted.
inline constexpr absl::string_view kSetValues = R"sql(
SELECT 'origin', origin FROM cable_records WHERE origin <> ''
GROUP BY origin
UNION ALL
SELECT 'year', y::text FROM (
  SELECT DISTINCT extract(year FROM created AT TIME ZONE 'UTC')::integer AS y
  FROM cable_records WHERE created IS NOT NULL) years
UNION ALL
SELECT 'tag', t FROM (
  SELECT DISTINCT unnest(tags) AS t FROM cable_records) tags
WHERE t <> '')sql";

// Waits for every writer holding the change-log lock ($1) to commit, then
// reads the clock (see RecordStore::CommittedBefore).
inline constexpr absl::string_view kCommittedBefore =
    "SELECT pg_advisory_xact_lock($1),"
    " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

}  // namespace cables::storage::sql

#endif  // CABLES_STORAGE_SQL_RECORD_QUERIES_H_

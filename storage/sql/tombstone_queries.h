// SQL of deletions (PgCableRepository::DeleteCable, GetTombstone) over
// migration 0005. Values travel as parameters only.
#ifndef CABLES_STORAGE_SQL_TOMBSTONE_QUERIES_H_
#define CABLES_STORAGE_SQL_TOMBSTONE_QUERIES_H_

#include "absl/strings/string_view.h"

namespace cables::storage::sql {

// Locks the live cable $1: current version and content digest (no row when
// it is not live).
inline constexpr absl::string_view kDeleteLockCable = R"sql(
SELECT current_version, content_sha256 FROM cables
WHERE canonical_id = $1 FOR UPDATE)sql";

// Records the tombstone of cable $1 with reason $2; returns its time.
inline constexpr absl::string_view kDeleteRecordTombstone = R"sql(
INSERT INTO cable_tombstones (canonical_id, version, content_sha256, reason,
                              origin, created, tags)
SELECT canonical_id, current_version, content_sha256, $2, origin, created,
       tags
FROM cables WHERE canonical_id = $1
RETURNING (extract(epoch FROM deleted_at) * 1000000)::bigint)sql";

// Removes cable $1 from current listings: its row and its current lists
// (versions and paragraphs stay).
inline constexpr absl::string_view kDeleteCurrent = R"sql(
WITH del_tags AS (
  DELETE FROM cable_tags WHERE canonical_id = $1),
del_refs AS (
  DELETE FROM cable_references WHERE citing_id = $1),
del_recipients AS (
  DELETE FROM cable_recipients WHERE canonical_id = $1)
DELETE FROM cables WHERE canonical_id = $1)sql";

// Stages the deletion ($1 id, $2 version, $3 digest) for the change log.
inline constexpr absl::string_view kDeleteStageChange = R"sql(
INSERT INTO stg_changes (canonical_id, version, kind, content_sha256)
VALUES ($1, $2, 3, $3))sql";

// The PREMIS "deletion" event (migration 0006) of cable $1 version $2:
// detail $3, agent $4.
inline constexpr absl::string_view kDeleteRecordEvent = R"sql(
INSERT INTO cable_events (canonical_id, version, event_type, outcome,
                          outcome_detail, agent)
VALUES ($1, $2, 'deletion', 'success', $3, $4))sql";

// The change-log position of the deletion just appended for $1.
inline constexpr absl::string_view kDeletePosition = R"sql(
SELECT max(position) FROM cable_changes
WHERE canonical_id = $1 AND kind = 3)sql";

// The latest tombstone of a deleted (not live) cable named by any of the ids
// $1 (text[]: canonical ids or recorded aliases), with the position of its
// deletion: id, version, digest, reason, deleted_at micros, position.
inline constexpr absl::string_view kSelectTombstone = R"sql(
SELECT t.canonical_id, t.version, t.content_sha256, t.reason,
       (extract(epoch FROM t.deleted_at) * 1000000)::bigint,
       coalesce((SELECT max(x.position) FROM cable_changes x
                 WHERE x.canonical_id = t.canonical_id AND x.kind = 3), 0)
FROM unnest($1::text[]) WITH ORDINALITY AS k(id, n)
LEFT JOIN cable_aliases a ON a.alias = k.id
CROSS JOIN LATERAL (
  SELECT * FROM cable_tombstones x
  WHERE x.canonical_id = coalesce(a.canonical_id, k.id)
  ORDER BY x.tombstone_id DESC LIMIT 1) t
WHERE NOT EXISTS (SELECT 1 FROM cables c
                  WHERE c.canonical_id = t.canonical_id)
ORDER BY k.n LIMIT 1)sql";

}  // namespace cables::storage::sql

#endif  // CABLES_STORAGE_SQL_TOMBSTONE_QUERIES_H_

// SQL of PgCableRepository. Values always travel as parameters ($n) or
// through COPY into the session's staging tables; nothing is concatenated.
#ifndef CABLES_STORAGE_SQL_REPOSITORY_QUERIES_H_
#define CABLES_STORAGE_SQL_REPOSITORY_QUERIES_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace cables::storage::sql {

// --- Session staging tables (created once per connection) ------------------
//
// One write = COPY the batch into these, then the set-based merge below, in
// one transaction. ON COMMIT DELETE ROWS empties them at every commit or
// rollback, so a failed batch leaves nothing behind.
inline constexpr absl::string_view kCreateStagingTables = R"sql(
CREATE TEMP TABLE IF NOT EXISTS stg_cables (
  ord                    integer NOT NULL,
  canonical_id           text NOT NULL,
  reference_id           text NOT NULL,
  created                timestamptz,
  released               timestamptz,
  origin                 text NOT NULL,
  classification         text NOT NULL,
  caveats                text[] NOT NULL,
  tags                   text[] NOT NULL,
  tag_kinds              smallint[] NOT NULL,
  subject                text NOT NULL,
  summary                text NOT NULL,
  signers                text[] NOT NULL,
  classified_by          text[] NOT NULL,
  classification_reasons text[] NOT NULL,
  declassify_on          text NOT NULL,
  partial                boolean NOT NULL,
  redacted               boolean NOT NULL,
  transmission_id        text NOT NULL,
  source_format          smallint NOT NULL,
  paragraph_count        integer NOT NULL,
  reference_count        integer NOT NULL,
  content_sha256         text NOT NULL,
  content_sha512         text NOT NULL,
  source                 text NOT NULL,
  header                 text NOT NULL,
  body                   text NOT NULL,
  cable                  bytea NOT NULL,
  outcome                text,
  version                integer
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stg_paragraphs (
  ord integer NOT NULL, position integer NOT NULL, number integer NOT NULL,
  marking text NOT NULL, heading text NOT NULL, text text NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stg_references (
  ord integer NOT NULL, position integer NOT NULL, cited_id text NOT NULL,
  kind smallint NOT NULL, letter text NOT NULL, text text NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stg_facet_delta (
  facet text NOT NULL, value text NOT NULL, delta integer NOT NULL
) ON COMMIT DELETE ROWS;
-- Changes of the whole transaction (all merge rounds), appended to
-- cable_changes just before commit; not truncated between rounds.
CREATE TEMP TABLE IF NOT EXISTS stg_changes (
  seq serial, canonical_id text NOT NULL, version integer NOT NULL,
  kind smallint NOT NULL, content_sha256 text NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stg_recipients (
  ord integer NOT NULL, position integer NOT NULL, kind smallint NOT NULL,
  route text NOT NULL, name text NOT NULL, precedence smallint NOT NULL,
  mcn text NOT NULL
) ON COMMIT DELETE ROWS;
)sql";

inline constexpr absl::string_view kStgCables = "stg_cables";
inline constexpr absl::string_view kStgParagraphs = "stg_paragraphs";
inline constexpr absl::string_view kStgReferences = "stg_references";
inline constexpr absl::string_view kStgRecipients = "stg_recipients";

// Between merge rounds of one transaction (a batch naming a cable twice is
// merged in rounds with distinct ids each).
inline constexpr absl::string_view kTruncateStaging =
    "TRUNCATE stg_cables, stg_paragraphs, stg_references, stg_recipients, "
    "stg_facet_delta";

// --- The merge -------------------------------------------------------------
// REQUIRES: staging holds distinct canonical ids. Run in this order in one
// READ COMMITTED transaction. Concurrent writers of the same cable serialize
// on the unique index of cables (new ids) or on the cables row lock
// (existing ids); both re-check known content after waiting.

// 1. Content the archive already holds (any version): nothing to do.
inline constexpr absl::string_view kMergeMarkUnchanged = R"sql(
UPDATE stg_cables s SET outcome = 'unchanged', version = v.version
FROM cable_versions v
WHERE s.outcome IS NULL
  AND v.canonical_id = s.canonical_id
  AND v.content_sha256 = s.content_sha256
  -- A deleted cable (versions, no row) is revived instead (1b).
  AND EXISTS (SELECT 1 FROM cables c WHERE c.canonical_id = s.canonical_id)
)sql";

// 1b. Deleted cables (migration 0005: versions kept, no cables row) come
// back in step 2 as "created" with the version already holding this
// content, else the next version number.
inline constexpr absl::string_view kMergeReviveVersions = R"sql(
UPDATE stg_cables s SET version = coalesce(
  (SELECT v.version FROM cable_versions v
   WHERE v.canonical_id = s.canonical_id
     AND v.content_sha256 = s.content_sha256),
  (SELECT max(v.version) + 1 FROM cable_versions v
   WHERE v.canonical_id = s.canonical_id))
WHERE s.outcome IS NULL
  AND EXISTS (SELECT 1 FROM cable_versions v
              WHERE v.canonical_id = s.canonical_id)
  AND NOT EXISTS (SELECT 1 FROM cables c
                  WHERE c.canonical_id = s.canonical_id))sql";

// 2. New canonical ids: insert as version 1 (in id order, so concurrent
// batches wait for each other instead of deadlocking). $1: defer the
// full-text vector (migration 0007), else compute it here.
inline constexpr absl::string_view kMergeInsertNew = R"sql(
WITH inserted AS (
  INSERT INTO cables (
    canonical_id, reference_id, created, released, origin, classification,
    caveats, tags, tag_kinds, subject, summary, signers, classified_by,
    classification_reasons, declassify_on, partial, redacted,
    transmission_id, source_format, paragraph_count, reference_count,
    current_version, content_sha256, search)
  SELECT
    s.canonical_id, s.reference_id, s.created, s.released, s.origin,
    s.classification, s.caveats, s.tags, s.tag_kinds, s.subject, s.summary,
    s.signers, s.classified_by, s.classification_reasons, s.declassify_on,
    s.partial, s.redacted, s.transmission_id, s.source_format,
    s.paragraph_count, s.reference_count, coalesce(s.version, 1),
    s.content_sha256,
    CASE WHEN $1 THEN NULL ELSE cables_search_vector(s.subject, s.body) END
  FROM stg_cables s
  WHERE s.outcome IS NULL
  ORDER BY s.canonical_id
  ON CONFLICT (canonical_id) DO NOTHING
  RETURNING canonical_id)
UPDATE stg_cables s SET outcome = 'created', version = coalesce(s.version, 1)
FROM inserted i WHERE s.canonical_id = i.canonical_id)sql";

// 3. Existing ids: lock their rows (id order), then repeat step 1, since a
// concurrent writer may have stored the same content meanwhile.
inline constexpr absl::string_view kMergeLockExisting = R"sql(
SELECT c.canonical_id
FROM cables c JOIN stg_cables s ON s.canonical_id = c.canonical_id
WHERE s.outcome IS NULL
ORDER BY c.canonical_id
FOR UPDATE OF c)sql";

// 4. Still undecided: a new version of an existing cable.
inline constexpr absl::string_view kMergeMarkNewVersion = R"sql(
UPDATE stg_cables s SET outcome = 'new_version',
                        -- After a revival the current version need not be
                        -- the latest one.
                        version = (SELECT max(v.version) + 1
                                   FROM cable_versions v
                                   WHERE v.canonical_id = s.canonical_id)
FROM cables c
WHERE s.outcome IS NULL AND c.canonical_id = s.canonical_id)sql";

// $1 as in step 2.
inline constexpr absl::string_view kMergeUpdateCurrent = R"sql(
UPDATE cables c SET
  reference_id = s.reference_id, created = s.created, released = s.released,
  origin = s.origin, classification = s.classification,
  caveats = s.caveats, tags = s.tags, tag_kinds = s.tag_kinds,
  subject = s.subject, summary = s.summary, signers = s.signers,
  classified_by = s.classified_by,
  classification_reasons = s.classification_reasons,
  declassify_on = s.declassify_on, partial = s.partial,
  redacted = s.redacted, transmission_id = s.transmission_id,
  source_format = s.source_format, paragraph_count = s.paragraph_count,
  reference_count = s.reference_count, current_version = s.version,
  content_sha256 = s.content_sha256, updated_at = now(),
  search = CASE WHEN $1 THEN NULL
                ELSE cables_search_vector(s.subject, s.body) END
FROM stg_cables s
WHERE s.outcome = 'new_version' AND c.canonical_id = s.canonical_id)sql";

// 5. The version rows and their paragraphs (created and new versions).
inline constexpr absl::string_view kMergeInsertVersions = R"sql(
INSERT INTO cable_versions (canonical_id, version, content_sha256,
                            content_sha512, source, source_format, header,
                            body, cable)
SELECT canonical_id, version, content_sha256, content_sha512, source,
       source_format, header, body, cable
FROM stg_cables s
WHERE outcome IN ('created', 'new_version')
  -- A revived cable's known version (1b) is already stored.
  AND NOT EXISTS (SELECT 1 FROM cable_versions v
                  WHERE v.canonical_id = s.canonical_id
                    AND v.version = s.version))sql";

inline constexpr absl::string_view kMergeInsertParagraphs = R"sql(
INSERT INTO cable_paragraphs (canonical_id, version, position, number,
                              marking, heading, text)
SELECT s.canonical_id, s.version, p.position, p.number, p.marking, p.heading,
       p.text
FROM stg_paragraphs p JOIN stg_cables s ON s.ord = p.ord
WHERE s.outcome IN ('created', 'new_version')
  -- Runs before kMergeInsertVersions: skips a revived known version (1b).
  AND NOT EXISTS (SELECT 1 FROM cable_versions v
                  WHERE v.canonical_id = s.canonical_id
                    AND v.version = s.version))sql";

// 6. The current version's lists: replace for new versions, add for new
// cables.
inline constexpr absl::string_view kMergeDeleteOldLists = R"sql(
WITH changed AS (
  SELECT canonical_id FROM stg_cables WHERE outcome = 'new_version'),
del_tags AS (
  DELETE FROM cable_tags t USING changed c
  WHERE t.canonical_id = c.canonical_id),
del_refs AS (
  DELETE FROM cable_references r USING changed c
  WHERE r.citing_id = c.canonical_id)
DELETE FROM cable_recipients r USING changed c
WHERE r.canonical_id = c.canonical_id)sql";

inline constexpr absl::string_view kMergeInsertTags = R"sql(
INSERT INTO cable_tags (canonical_id, position, tag, kind)
SELECT s.canonical_id, t.n - 1, t.tag, coalesce(t.kind, 0)
FROM stg_cables s,
     unnest(s.tags, s.tag_kinds) WITH ORDINALITY AS t(tag, kind, n)
WHERE s.outcome IN ('created', 'new_version') AND t.tag IS NOT NULL)sql";

inline constexpr absl::string_view kMergeInsertReferences = R"sql(
INSERT INTO cable_references (citing_id, position, cited_id, kind, letter,
                              text)
SELECT s.canonical_id, r.position, r.cited_id, r.kind, r.letter, r.text
FROM stg_references r JOIN stg_cables s ON s.ord = r.ord
WHERE s.outcome IN ('created', 'new_version'))sql";

inline constexpr absl::string_view kMergeInsertRecipients = R"sql(
INSERT INTO cable_recipients (canonical_id, position, kind, route, name,
                              precedence, mcn)
SELECT s.canonical_id, r.position, r.kind, r.route, r.name, r.precedence,
       r.mcn
FROM stg_recipients r JOIN stg_cables s ON s.ord = r.ord
WHERE s.outcome IN ('created', 'new_version'))sql";

// 7. Dictionaries and aliases (sorted, so concurrent batches do not
// deadlock on new keys).
inline constexpr absl::string_view kMergeDictionaries = R"sql(
WITH fresh AS (
  SELECT * FROM stg_cables WHERE outcome IN ('created', 'new_version')),
o AS (
  INSERT INTO origins (name)
  SELECT DISTINCT origin FROM fresh WHERE origin <> '' ORDER BY 1
  ON CONFLICT DO NOTHING),
cl AS (
  INSERT INTO classifications (name)
  SELECT DISTINCT classification FROM fresh WHERE classification <> ''
  ORDER BY 1
  ON CONFLICT DO NOTHING),
cv AS (
  INSERT INTO caveats (name)
  SELECT DISTINCT v FROM fresh, unnest(fresh.caveats) AS v
  WHERE v <> '' ORDER BY 1
  ON CONFLICT DO NOTHING)
INSERT INTO tags (tag, kind)
SELECT DISTINCT ON (t.tag) t.tag, coalesce(t.kind, 0)
FROM fresh, unnest(fresh.tags, fresh.tag_kinds) AS t(tag, kind)
WHERE t.tag IS NOT NULL AND t.tag <> ''
ORDER BY t.tag
ON CONFLICT DO NOTHING)sql";

inline constexpr absl::string_view kMergeAliases = R"sql(
INSERT INTO cable_aliases (alias, canonical_id)
SELECT DISTINCT ON (reference_id) reference_id, canonical_id
FROM stg_cables
WHERE reference_id <> '' AND reference_id <> canonical_id
ORDER BY reference_id
ON CONFLICT (alias) DO NOTHING)sql";

// 8. facet_counts (migration 0003): -1 for the facet values of the versions
// being replaced (run before kMergeUpdateCurrent), +1 for the new ones, then
// one sorted upsert.
#define CABLES_SQL_FACET_VALUES(c)               \
  "LATERAL ("                                    \
  " SELECT 'origin', " c ".origin WHERE " c      \
  ".origin <> ''"                                \
  " UNION ALL SELECT 'classification', " c       \
  ".classification"                              \
  "  WHERE " c                                   \
  ".classification <> ''"                        \
  " UNION ALL SELECT 'caveat', v FROM unnest(" c \
  ".caveats) v WHERE v <> ''"                    \
  " UNION ALL SELECT 'tag', v FROM unnest(" c    \
  ".tags) v WHERE v <> ''"                       \
  " UNION ALL SELECT 'year',"                    \
  "  extract(year FROM " c                       \
  ".created AT TIME ZONE 'UTC')::integer::text"  \
  "  WHERE " c                                   \
  ".created IS NOT NULL"                         \
  ") AS f(facet, value)"

inline constexpr absl::string_view kMergeFacetsOld =
    "INSERT INTO stg_facet_delta (facet, value, delta)"
    " SELECT f.facet, f.value, -1"
    " FROM stg_cables s JOIN cables c ON c.canonical_id = "
    "s.canonical_id, " CABLES_SQL_FACET_VALUES(
        "c") " WHERE s.outcome = 'new_version'";

inline constexpr absl::string_view kMergeFacetsNew =
    "INSERT INTO stg_facet_delta (facet, value, delta)"
    " SELECT f.facet, f.value, 1 FROM stg_cables s, "
    CABLES_SQL_FACET_VALUES("s")
    " WHERE s.outcome IN ('created', 'new_version')"
    " UNION ALL SELECT 'total', '', 1 FROM stg_cables"
    " WHERE outcome = 'created'";

// DeleteCable: -1 for every facet value of cable $1 and for the total.
inline constexpr absl::string_view kDeleteFacets =
    "INSERT INTO stg_facet_delta (facet, value, delta)"
    " SELECT f.facet, f.value, -1 FROM cables c, " CABLES_SQL_FACET_VALUES(
        "c") " WHERE c.canonical_id = $1"
    " UNION ALL SELECT 'total', '', -1";

#undef CABLES_SQL_FACET_VALUES

inline constexpr absl::string_view kMergeApplyFacets = R"sql(
INSERT INTO facet_counts (facet, value, count)
SELECT facet, value, sum(delta) FROM stg_facet_delta
GROUP BY facet, value HAVING sum(delta) <> 0
ORDER BY facet, value
ON CONFLICT (facet, value)
DO UPDATE SET count = facet_counts.count + EXCLUDED.count)sql";

// 9. Remember this round's changes for the change log.
inline constexpr absl::string_view kMergeStageChanges = R"sql(
INSERT INTO stg_changes (canonical_id, version, kind, content_sha256)
SELECT canonical_id, version,
       CASE outcome WHEN 'created' THEN 1 ELSE 2 END, content_sha256
FROM stg_cables WHERE outcome IN ('created', 'new_version')
ORDER BY ord)sql";

// 10. Per-item outcomes.
inline constexpr absl::string_view kMergeOutcomes =
    "SELECT ord, outcome, version FROM stg_cables ORDER BY ord";

// --- The change log (migration 0004) ---------------------------------------

// Held from taking positions until commit, so positions become visible in
// order ("cableschg").
inline constexpr int64_t kChangeLogLockKey = 0x6361626c65736367;
inline constexpr absl::string_view kChangeLogLock =
    "SELECT pg_advisory_xact_lock($1)";

// The last statement before commit: appends the staged changes.
inline constexpr absl::string_view kAppendChanges = R"sql(
INSERT INTO cable_changes (position, canonical_id, version, kind,
                           content_sha256)
SELECT nextval('cable_changes_position_seq'), x.canonical_id, x.version,
       x.kind, x.content_sha256
FROM (SELECT * FROM stg_changes ORDER BY seq) x)sql";

inline constexpr absl::string_view kHasStagedChanges =
    "SELECT EXISTS (SELECT 1 FROM stg_changes)";

// Changes after position $1, oldest first, at most $2.
inline constexpr absl::string_view kListChanges = R"sql(
SELECT position, canonical_id, version, kind, content_sha256,
       (extract(epoch FROM changed_at) * 1000000)::bigint
FROM cable_changes WHERE position > $1
ORDER BY position LIMIT $2)sql";

inline constexpr absl::string_view kLastChangePosition =
    "SELECT coalesce(max(position), 0) FROM cable_changes";

// --- Reads -----------------------------------------------------------------

// Ids ($1 text[]) -> (1-based position, canonical id) for the ones that are
// stored ids or recorded aliases of stored cables.
inline constexpr absl::string_view kResolveIds = R"sql(
SELECT k.n, coalesce(c.canonical_id, a.canonical_id)
FROM unnest($1::text[]) WITH ORDINALITY AS k(id, n)
LEFT JOIN cables c ON c.canonical_id = k.id
LEFT JOIN cable_aliases a ON c.canonical_id IS NULL AND a.alias = k.id
WHERE c.canonical_id IS NOT NULL
   OR EXISTS (SELECT 1 FROM cables x WHERE x.canonical_id = a.canonical_id))sql";

// kResolveIds for one id ($1 text), in the same columns. PostgreSQL keeps
// planning a prepared statement whose parameter is an array (its generic
// plan assumes many elements, so the one-element custom plan always looks
// cheaper); with a scalar parameter it settles on the generic plan, so the
// single-cable reads that GetCable makes are planned once per connection.
inline constexpr absl::string_view kResolveId = R"sql(
SELECT 1::bigint, coalesce(c.canonical_id, a.canonical_id)
FROM (SELECT $1::text AS id) AS k
LEFT JOIN cables c ON c.canonical_id = k.id
LEFT JOIN cable_aliases a ON c.canonical_id IS NULL AND a.alias = k.id
WHERE c.canonical_id IS NOT NULL
   OR EXISTS (SELECT 1 FROM cables x WHERE x.canonical_id = a.canonical_id))sql";

// Current versions of ids ($1 text[]): id, version, header, body, cable.
inline constexpr absl::string_view kSelectCurrentVersions = R"sql(
SELECT v.canonical_id, v.version, v.header, v.body, v.cable,
       v.content_sha512
FROM cables c
JOIN cable_versions v
  ON v.canonical_id = c.canonical_id AND v.version = c.current_version
WHERE c.canonical_id = ANY($1::text[]))sql";

// kSelectCurrentVersions for one id ($1 text); see kResolveId.
inline constexpr absl::string_view kSelectCurrentVersion = R"sql(
SELECT v.canonical_id, v.version, v.header, v.body, v.cable,
       v.content_sha512
FROM cables c
JOIN cable_versions v
  ON v.canonical_id = c.canonical_id AND v.version = c.current_version
WHERE c.canonical_id = $1)sql";

inline constexpr absl::string_view kSelectVersion = R"sql(
SELECT canonical_id, version, header, body, cable, content_sha512
FROM cable_versions WHERE canonical_id = $1 AND version = $2)sql";

// Paragraphs of (id, version) pairs ($1 text[], $2 integer[]).
inline constexpr absl::string_view kSelectParagraphs = R"sql(
SELECT p.canonical_id, p.version, p.number, p.marking, p.heading, p.text
FROM unnest($1::text[], $2::integer[]) AS k(canonical_id, version)
JOIN cable_paragraphs p
  ON p.canonical_id = k.canonical_id AND p.version = k.version
ORDER BY p.canonical_id, p.version, p.position)sql";

// kSelectParagraphs for one (id, version) ($1 text, $2 integer); see
// kResolveId.
inline constexpr absl::string_view kSelectParagraphsOf = R"sql(
SELECT p.canonical_id, p.version, p.number, p.marking, p.heading, p.text
FROM cable_paragraphs p
WHERE p.canonical_id = $1 AND p.version = $2
ORDER BY p.position)sql";

// List page: "<kListHead><key columns><kListFrom><filter> AND <keyset>
// ORDER BY <order> LIMIT $4". Parameters: $1 has a cursor (boolean), $2 the
// cursor's sort value (timestamptz), $3 the cursor's canonical id, $4 the
// limit; the filter (filter_sql.h) starts at $5. Returns id, sort value in
// micros (NULL when undated or ordered by id), the stored cable message,
// version.
inline constexpr absl::string_view kListHead = "SELECT c.canonical_id, ";
inline constexpr absl::string_view kListCreatedMicros =
    "CASE WHEN c.created IS NULL THEN NULL"
    " ELSE (extract(epoch FROM c.created) * 1000000)::bigint END";
inline constexpr absl::string_view kListReleasedMicros =
    "CASE WHEN c.released IS NULL THEN NULL"
    " ELSE (extract(epoch FROM c.released) * 1000000)::bigint END";
inline constexpr absl::string_view kListNoMicros = "NULL::bigint";
inline constexpr absl::string_view kListFrom =
    ", v.cable, c.current_version"
    " FROM cables c JOIN cable_versions v"
    " ON v.canonical_id = c.canonical_id AND v.version = c.current_version"
    " WHERE ";
// Keyset conditions and orders, per sort key and direction.
inline constexpr absl::string_view kKeysetCreatedAfter =
    " AND (NOT $1::boolean OR (c.sort_date, c.canonical_id) >"
    " ($2::timestamptz, $3::text))";
inline constexpr absl::string_view kKeysetCreatedBefore =
    " AND (NOT $1::boolean OR (c.sort_date, c.canonical_id) <"
    " ($2::timestamptz, $3::text))";
inline constexpr absl::string_view kKeysetReleasedAfter =
    " AND (NOT $1::boolean OR"
    " (coalesce(c.released, '-infinity'::timestamptz), c.canonical_id) >"
    " ($2::timestamptz, $3::text))";
inline constexpr absl::string_view kKeysetReleasedBefore =
    " AND (NOT $1::boolean OR"
    " (coalesce(c.released, '-infinity'::timestamptz), c.canonical_id) <"
    " ($2::timestamptz, $3::text))";
inline constexpr absl::string_view kKeysetIdAfter =
    " AND (NOT $1::boolean OR c.canonical_id > $3::text)"
    // Mentions $2 so that PostgreSQL knows its type.
    " AND $2::timestamptz IS NOT DISTINCT FROM $2::timestamptz";
inline constexpr absl::string_view kKeysetIdBefore =
    " AND (NOT $1::boolean OR c.canonical_id < $3::text)"
    // Mentions $2 so that PostgreSQL knows its type.
    " AND $2::timestamptz IS NOT DISTINCT FROM $2::timestamptz";
inline constexpr absl::string_view kOrderCreatedAsc =
    " ORDER BY c.sort_date ASC, c.canonical_id ASC LIMIT $4";
inline constexpr absl::string_view kOrderCreatedDesc =
    " ORDER BY c.sort_date DESC, c.canonical_id DESC LIMIT $4";
inline constexpr absl::string_view kOrderReleasedAsc =
    " ORDER BY coalesce(c.released, '-infinity'::timestamptz) ASC,"
    " c.canonical_id ASC LIMIT $4";
inline constexpr absl::string_view kOrderReleasedDesc =
    " ORDER BY coalesce(c.released, '-infinity'::timestamptz) DESC,"
    " c.canonical_id DESC LIMIT $4";
inline constexpr absl::string_view kOrderIdAsc =
    " ORDER BY c.canonical_id ASC LIMIT $4";
inline constexpr absl::string_view kOrderIdDesc =
    " ORDER BY c.canonical_id DESC LIMIT $4";

// Facets of a filter: "<kFacetCountsHead><filter><kFacetCountsTail>", top
// $1 per facet, the filter (filter_sql.h) from $2. Rows: facet, value, count.
inline constexpr absl::string_view kFacetCountsHead =
    "WITH f AS MATERIALIZED ("
    " SELECT c.origin, c.classification, c.caveats, c.tags, c.created"
    " FROM cables c WHERE ";
inline constexpr absl::string_view kFacetCountsTail =
    ")"
    " SELECT 'total', '', count(*) FROM f"
    " UNION ALL (SELECT 'origin', origin, count(*) FROM f WHERE origin <> ''"
    "  GROUP BY origin ORDER BY 3 DESC, 2 LIMIT $1)"
    " UNION ALL (SELECT 'classification', classification, count(*) FROM f"
    "  WHERE classification <> ''"
    "  GROUP BY classification ORDER BY 3 DESC, 2 LIMIT $1)"
    " UNION ALL (SELECT 'caveat', v, count(*) FROM f, unnest(f.caveats) v"
    "  WHERE v <> '' GROUP BY v ORDER BY 3 DESC, 2 LIMIT $1)"
    " UNION ALL (SELECT 'tag', v, count(*) FROM f, unnest(f.tags) v"
    "  WHERE v <> '' GROUP BY v ORDER BY 3 DESC, 2 LIMIT $1)"
    " UNION ALL (SELECT 'year',"
    "  extract(year FROM created AT TIME ZONE 'UTC')::integer::text, count(*)"
    "  FROM f WHERE created IS NOT NULL GROUP BY 2 ORDER BY 2)";

// Unfiltered facets from the counters (migration 0003), top $1 per facet;
// same rows as kFacetCountsHead/Tail.
inline constexpr absl::string_view kFacetCountsAll = R"sql(
SELECT facet, value, count FROM (
  SELECT facet, value, count,
         row_number() OVER (PARTITION BY facet ORDER BY count DESC, value) AS n
  FROM facet_counts
  WHERE count > 0 AND facet IN ('origin', 'classification', 'caveat', 'tag')
) ranked WHERE n <= $1
UNION ALL
SELECT facet, value, count FROM facet_counts
WHERE facet IN ('year', 'total') AND count > 0)sql";

#undef CABLES_SQL_LIST
#undef CABLES_SQL_FILTER

inline constexpr absl::string_view kCableExists =
    "SELECT EXISTS (SELECT 1 FROM cables WHERE canonical_id = $1)";

inline constexpr absl::string_view kSelectReferences = R"sql(
SELECT r.cited_id, r.kind, r.letter, r.text, c.canonical_id IS NOT NULL,
       coalesce(c.subject, ''),
       CASE WHEN c.created IS NULL THEN NULL
            ELSE (extract(epoch FROM c.created) * 1000000)::bigint END
FROM cable_references r
LEFT JOIN cables c ON r.cited_id <> '' AND c.canonical_id = r.cited_id
WHERE r.citing_id = $1
ORDER BY r.position)sql";

// The cables citing $1, one row each (the letter of its first REF entry that
// cites $1), newest first and then by id descending, after the keyset
// ($3: whether there is one; $4, $5: the last row's sort_date and id).
inline constexpr absl::string_view kSelectCitedBy = R"sql(
SELECT canonical_id, subject, created_micros, letter FROM (
  SELECT DISTINCT ON (r.citing_id) r.citing_id AS canonical_id, c.subject,
         CASE WHEN c.created IS NULL THEN NULL
              ELSE (extract(epoch FROM c.created) * 1000000)::bigint END
           AS created_micros,
         c.sort_date, r.letter
  FROM cable_references r JOIN cables c ON c.canonical_id = r.citing_id
  WHERE r.cited_id = $1
  ORDER BY r.citing_id, r.position) AS citing
WHERE NOT $3::boolean OR (sort_date, canonical_id) < ($4::timestamptz, $5::text)
ORDER BY sort_date DESC, canonical_id DESC
LIMIT $2)sql";

// How many cables cite $1.
inline constexpr absl::string_view kCountCitedBy = R"sql(
SELECT count(DISTINCT r.citing_id)
FROM cable_references r JOIN cables c ON c.canonical_id = r.citing_id
WHERE r.cited_id = $1)sql";

inline constexpr absl::string_view kSelectVersions = R"sql(
SELECT v.version, v.content_sha256, v.source, v.source_format,
       (extract(epoch FROM v.ingested_at) * 1000000)::bigint,
       v.version = c.current_version
FROM cable_versions v JOIN cables c ON c.canonical_id = v.canonical_id
WHERE v.canonical_id = $1
ORDER BY v.version)sql";

// --- Bulk load ---------------------------------------------------------------

// Serializes BeginBulkLoad / EndBulkLoad ("cablesbl").
inline constexpr int64_t kBulkLoadLockKey = 0x6361626c6573626c;
inline constexpr absl::string_view kBulkLoadLock =
    "SELECT pg_advisory_xact_lock($1)";

// Remembers the definition of index $1 (when it exists) before dropping it.
inline constexpr absl::string_view kRememberIndex = R"sql(
INSERT INTO deferred_indexes (name, definition)
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = current_schema() AND indexname = $1
ON CONFLICT (name) DO NOTHING)sql";

inline constexpr absl::string_view kSelectDeferredIndexes = R"sql(
SELECT d.name, d.definition, to_regclass(quote_ident(d.name)) IS NOT NULL
FROM deferred_indexes d ORDER BY d.name)sql";

inline constexpr absl::string_view kForgetIndex =
    "DELETE FROM deferred_indexes WHERE name = $1";

inline constexpr absl::string_view kBuildSettings =
    "SET LOCAL maintenance_work_mem = '512MB'";

inline constexpr absl::string_view kAnalyzeAfterLoad =
    "ANALYZE cables, cable_versions, cable_paragraphs, cable_tags, "
    "cable_references, cable_recipients, cable_aliases";

inline constexpr absl::string_view kPing = "SELECT 1";

inline constexpr absl::string_view kLookupIngestRequest =
    "SELECT response FROM ingest_requests WHERE request_id = $1";
inline constexpr absl::string_view kRecordIngestRequest =
    "INSERT INTO ingest_requests (request_id, response) VALUES ($1, $2) "
    "ON CONFLICT (request_id) DO NOTHING";

// --- Fixity and provenance (migration 0006) --------------------------------

// After the merge round's outcomes are known: the events of the stored
// versions ($1 agent) and the extra events of every cable of the round
// ($2 event types text[], $3 outcomes text[], $4 details text[]; the
// cable's source is appended to each detail).
inline constexpr absl::string_view kMergeInsertEvents = R"sql(
INSERT INTO cable_events (canonical_id, version, event_type, outcome,
                          outcome_detail, agent)
SELECT s.canonical_id, s.version, e.event_type, e.outcome, e.detail, $1::text
FROM stg_cables s
CROSS JOIN LATERAL (
  SELECT 1, 'ingestion', 'success',
         CASE s.outcome WHEN 'created' THEN 'created' ELSE 'new' END
           || ' version ' || s.version || ' from "' || s.source || '"'
  WHERE s.outcome IN ('created', 'new_version')
  UNION ALL
  SELECT 2, 'message digest calculation', 'success',
         'SHA-256 ' || s.content_sha256 || ', SHA-512 ' || s.content_sha512
  WHERE s.outcome IN ('created', 'new_version')
  UNION ALL
  SELECT 3, 'metadata modification', 'success',
         'current version ' || (s.version - 1) || ' -> ' || s.version
  WHERE s.outcome = 'new_version'
  UNION ALL
  SELECT 3 + x.n, x.event_type, x.outcome,
         x.detail || '; source "' || s.source || '"'
  FROM unnest($2::text[], $3::text[], $4::text[])
       WITH ORDINALITY AS x(event_type, outcome, detail, n)
) AS e(k, event_type, outcome, detail)
ORDER BY s.ord, e.k)sql";

// Events ($1 canonical id or '' = all, $2 event type or '', $3 outcome or
// '', $4 version or 0) after event id $5, at most $6.
inline constexpr absl::string_view kListEvents = R"sql(
SELECT event_id, canonical_id, version, event_type,
       (extract(epoch FROM event_time) * 1000000)::bigint, outcome,
       outcome_detail, agent
FROM cable_events
WHERE ($1::text = '' OR canonical_id = $1::text)
  AND ($2::text = '' OR event_type = $2::text)
  AND ($3::text = '' OR outcome = $3::text)
  AND ($4::integer = 0 OR version = $4::integer)
  AND event_id > $5::bigint
ORDER BY event_id
LIMIT $6)sql";

// Appends events: $1 canonical ids text[], $2 versions integer[], $3 event
// types text[], $4 outcomes text[], $5 details text[], $6 agents text[].
inline constexpr absl::string_view kRecordEvents = R"sql(
INSERT INTO cable_events (canonical_id, version, event_type, outcome,
                          outcome_detail, agent)
SELECT canonical_id, version, event_type, outcome, detail, agent
FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[],
            $6::text[]) WITH ORDINALITY
     AS x(canonical_id, version, event_type, outcome, detail, agent, n)
ORDER BY n)sql";

// Versions after ($1 canonical id, $2 version) in key order, at most $3:
// id, version, header, body, cable, content_sha512, content_sha256 (the
// first six as CableFromRow reads them).
inline constexpr absl::string_view kScanVersions = R"sql(
SELECT canonical_id, version, header, body, cable, content_sha512,
       content_sha256
FROM cable_versions
WHERE (canonical_id, version) > ($1::text, $2::integer)
ORDER BY canonical_id, version
LIMIT $3)sql";

inline constexpr absl::string_view kCountVersions =
    "SELECT count(*) FROM cable_versions";

// Fills in missing SHA-512 digests ($1 ids text[], $2 versions integer[],
// $3 expected SHA-256 text[], $4 SHA-512 text[]) and records their events
// ($5 agent). Rows affected = digests filled in.
inline constexpr absl::string_view kRepairSha512 = R"sql(
WITH fixed AS (
  UPDATE cable_versions v SET content_sha512 = x.sha512
  FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[])
       AS x(canonical_id, version, sha256, sha512)
  WHERE v.canonical_id = x.canonical_id AND v.version = x.version
    AND v.content_sha512 IS NULL AND v.content_sha256 = x.sha256
  RETURNING v.canonical_id, v.version, v.content_sha512)
INSERT INTO cable_events (canonical_id, version, event_type, outcome,
                          outcome_detail, agent)
SELECT canonical_id, version, 'message digest calculation', 'success',
       'SHA-512 ' || content_sha512
         || ' (filled in: computed from the stored content, whose SHA-256 '
         || 'matched)', $5::text
FROM fixed ORDER BY canonical_id, version)sql";

}  // namespace cables::storage::sql

#endif  // CABLES_STORAGE_SQL_REPOSITORY_QUERIES_H_

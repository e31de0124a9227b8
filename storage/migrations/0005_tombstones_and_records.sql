-- 0005: deletions (tombstones) and record datestamps (OAI-PMH).
--
-- cable_tombstones  one row per deletion of a cable, append-only. Deleting
--                   removes the cable's `cables` row and its current-version
--                   lists (tags, references, recipients), so it leaves every
--                   listing, facet and search, while cable_versions and
--                   cable_paragraphs keep all of its content. The tombstone
--                   keeps what harvesters still need of a deleted record
--                   (origin, created, tags: its OAI-PMH sets) and why and
--                   when it went. A cable is deleted now when it has a
--                   tombstone and no `cables` row; re-ingesting it revives
--                   it (the row is written again), the tombstone stays as
--                   history.
-- cable_records     the latest change of every cable ever stored, live or
--                   deleted: its OAI-PMH datestamp (changed_at) and set
--                   membership, maintained by a statement trigger on
--                   cable_changes, so a harvest is a keyset scan on
--                   (changed_at, position).
--
-- cable_changes.changed_at is from now on the clock time of the append,
-- which happens while the writer holds the change-log lock
-- (kChangeLogLockKey) until its commit: datestamps then grow with
-- positions, and once a reader has taken and released that lock at time T,
-- every change stamped before T is committed (an incremental harvest
-- "from T" misses nothing). The transaction start time (now()) could be
-- seconds older than the commit.
ALTER TABLE cable_changes ALTER COLUMN changed_at SET DEFAULT clock_timestamp();

CREATE TABLE cable_tombstones (
  tombstone_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  canonical_id   text NOT NULL,
  -- The version that was current when the cable was deleted.
  version        integer NOT NULL,
  content_sha256 text NOT NULL,
  reason         text NOT NULL DEFAULT '',
  deleted_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  origin         text NOT NULL DEFAULT '',
  created        timestamptz,
  tags           text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX cable_tombstones_cable_idx
  ON cable_tombstones (canonical_id, tombstone_id);

CREATE TABLE cable_records (
  canonical_id text PRIMARY KEY,
  -- The cable's latest change (cable_changes).
  position     bigint NOT NULL,
  changed_at   timestamptz NOT NULL,
  deleted      boolean NOT NULL,
  -- Set membership: of the current version, or of the deleted one.
  origin       text NOT NULL DEFAULT '',
  created      timestamptz,
  tags         text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX cable_records_datestamp_idx ON cable_records (changed_at, position);
CREATE INDEX cable_records_origin_idx
  ON cable_records (origin, changed_at, position);
CREATE INDEX cable_records_tags_idx ON cable_records USING gin (tags);

-- Runs once per INSERT statement into cable_changes (the repository appends
-- a whole transaction's changes in one statement, under the change-log
-- lock, so record rows are never written concurrently). The cables row (or,
-- for a deletion, the tombstone) is already written by then.
CREATE FUNCTION cable_records_track() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cable_records AS r (canonical_id, position, changed_at, deleted,
                                  origin, created, tags)
  SELECT n.canonical_id, n.position, n.changed_at, n.kind = 3,
         coalesce(CASE WHEN n.kind = 3 THEN t.origin ELSE c.origin END, ''),
         CASE WHEN n.kind = 3 THEN t.created ELSE c.created END,
         coalesce(CASE WHEN n.kind = 3 THEN t.tags ELSE c.tags END, '{}')
  FROM (SELECT DISTINCT ON (canonical_id) *
        FROM new_changes ORDER BY canonical_id, position DESC) n
  LEFT JOIN cables c ON n.kind <> 3 AND c.canonical_id = n.canonical_id
  LEFT JOIN LATERAL (
    SELECT x.origin, x.created, x.tags FROM cable_tombstones x
    WHERE n.kind = 3 AND x.canonical_id = n.canonical_id
    ORDER BY x.tombstone_id DESC LIMIT 1) t ON true
  ORDER BY n.canonical_id
  ON CONFLICT (canonical_id) DO UPDATE SET
    position = EXCLUDED.position, changed_at = EXCLUDED.changed_at,
    deleted = EXCLUDED.deleted, origin = EXCLUDED.origin,
    created = EXCLUDED.created, tags = EXCLUDED.tags
  WHERE r.position < EXCLUDED.position;
  RETURN NULL;
END
$$;

CREATE TRIGGER cable_changes_track_records
  AFTER INSERT ON cable_changes
  REFERENCING NEW TABLE AS new_changes
  FOR EACH STATEMENT EXECUTE FUNCTION cable_records_track();

-- What is already stored (no deletions exist before this migration).
INSERT INTO cable_records (canonical_id, position, changed_at, deleted, origin,
                           created, tags)
SELECT l.canonical_id, l.position, l.changed_at, false, c.origin, c.created,
       c.tags
FROM (SELECT DISTINCT ON (canonical_id) canonical_id, position, changed_at
      FROM cable_changes ORDER BY canonical_id, position DESC) l
JOIN cables c ON c.canonical_id = l.canonical_id;

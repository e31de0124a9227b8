-- 0004: the change log — every create, new version and deletion of a cable,
-- in commit order.
--
-- Writers append in the same transaction as the change itself and take
-- positions only while holding the advisory transaction lock
-- kChangeLogLockKey (repository_queries.h), which is released at commit:
-- a transaction can only get positions after every transaction that got
-- smaller ones has committed or rolled back. So a reader that has seen
-- position p and later reads "position > p" never misses a change that
-- commits afterwards with a smaller position. Positions of rolled-back
-- transactions are simply absent (gaps are normal).
--
-- Consumers: the search index (tails it to stay current), WatchCables (the
-- change feed), OAI-PMH datestamps.
CREATE SEQUENCE cable_changes_position_seq;

CREATE TABLE cable_changes (
  position       bigint PRIMARY KEY,
  canonical_id   text NOT NULL,
  -- The version created; for a deletion, the version current when deleted.
  version        integer NOT NULL,
  -- 1 = created, 2 = new version, 3 = deleted.
  kind           smallint NOT NULL CHECK (kind BETWEEN 1 AND 3),
  content_sha256 text NOT NULL DEFAULT '',
  changed_at     timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE cable_changes_position_seq OWNED BY cable_changes.position;
CREATE INDEX cable_changes_id_idx ON cable_changes (canonical_id, position);
CREATE INDEX cable_changes_time_idx ON cable_changes (changed_at, position);

-- What is already stored, oldest first.
INSERT INTO cable_changes (position, canonical_id, version, kind,
                           content_sha256, changed_at)
SELECT nextval('cable_changes_position_seq'), v.canonical_id, v.version,
       v.kind, v.content_sha256, v.ingested_at
FROM (
  SELECT canonical_id, version, CASE WHEN version = 1 THEN 1 ELSE 2 END AS kind,
         content_sha256, ingested_at
  FROM cable_versions
  ORDER BY ingested_at, canonical_id, version
) v;

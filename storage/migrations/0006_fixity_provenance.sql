-- 0006: fixity and provenance.
--
-- cable_events   PREMIS-style events (LoC event type vocabulary) per cable
--                version: what happened, when, with which outcome, done by
--                which software (agent, e.g. "cables-ingest 0.1.0").
--                Writers insert them in the same transaction as the change
--                they describe (the repository's merge), so there is no
--                event without its data and no data without its event.
--                Append-only: events are never updated or deleted.
-- cable_versions.content_sha512
--                reserved since 0001, now filled by every write: the SHA-512
--                of the same canonical bytes content_sha256 covers
--                (services/ingest/parser/content_hash.h).
--
-- Backfill of content_sha512: the canonical bytes are rebuilt here in SQL
-- (same normalisation as NormalizeForHash) for CURRENT versions, whose
-- created/origin/classification are columns of `cables`. A digest is only
-- written when the SHA-256 of the rebuilt bytes equals the stored
-- content_sha256, which proves the bytes are exactly the ones the writer
-- hashed; every other row (older versions, whose fields live only in the
-- serialized message, or rows written by tests with another digest) stays
-- NULL and is filled by `cablectl verify --repair` (VerifyFixity with
-- repair_missing), which also records the event.

CREATE TABLE cable_events (
  event_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  canonical_id   text NOT NULL,
  version        integer NOT NULL,
  event_type     text NOT NULL CHECK (event_type IN (
                   'ingestion', 'message digest calculation', 'fixity check',
                   'validation', 'metadata modification', 'deletion')),
  -- PREMIS eventDateTime: the time of the recording transaction.
  event_time     timestamptz NOT NULL DEFAULT now(),
  outcome        text NOT NULL CHECK (outcome IN ('success', 'failure')),
  outcome_detail text NOT NULL DEFAULT '',
  agent          text NOT NULL
);
-- ListCableEvents of one cable, oldest first.
CREATE INDEX cable_events_cable_idx ON cable_events (canonical_id, event_id);
-- "Every failed fixity check / validation" across the archive.
CREATE INDEX cable_events_failure_idx ON cable_events (event_id)
  WHERE outcome = 'failure';

ALTER TABLE cable_versions ADD CONSTRAINT cable_versions_sha512_hex
  CHECK (content_sha512 IS NULL OR content_sha512 ~ '^[0-9a-f]{128}$');

-- NormalizeForHash: CRLF and lone CR become LF, trailing spaces, tabs, form
-- feeds and vertical tabs are stripped from every line, blank lines at the
-- start and the end are dropped. (The patterns are standard strings, so the
-- regex engine reads \t \f \v; E'' strings do not know \v.)
CREATE FUNCTION pg_temp.cables_normalize(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT btrim(regexp_replace(regexp_replace(t, '\r\n?', E'\n', 'g'),
                              '[ \t\f\v]+$', '', 'gn'),
               E'\n')
$$;

-- One "name:LEN:value\n" field (LEN in bytes).
CREATE FUNCTION pg_temp.cables_field(name text, v text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT name || ':' || octet_length(v) || ':' || v || E'\n'
$$;

CREATE TEMP TABLE cables_backfill ON COMMIT DROP AS
SELECT v.canonical_id, v.version, v.content_sha256,
       convert_to(
         E'cables.v1.content\n'
         || pg_temp.cables_field('canonical_id', v.canonical_id)
         || 'created:'
         || coalesce(floor(extract(epoch FROM c.created))::bigint::text, '')
         || E'\n'
         || pg_temp.cables_field('origin', c.origin)
         || pg_temp.cables_field('classification', c.classification)
         || pg_temp.cables_field('header', pg_temp.cables_normalize(v.header))
         || pg_temp.cables_field('body', pg_temp.cables_normalize(v.body)),
         'UTF8') AS content
FROM cable_versions v
JOIN cables c
  ON c.canonical_id = v.canonical_id AND c.current_version = v.version
WHERE v.content_sha512 IS NULL;

UPDATE cable_versions v
SET content_sha512 = encode(sha512(b.content), 'hex')
FROM cables_backfill b
WHERE v.canonical_id = b.canonical_id AND v.version = b.version
  AND encode(sha256(b.content), 'hex') = v.content_sha256;

-- Provenance of what is already stored: its ingestion (at ingested_at),
-- then the digests computed here.
INSERT INTO cable_events (canonical_id, version, event_type, event_time,
                          outcome, outcome_detail, agent)
SELECT canonical_id, version, 'ingestion', ingested_at, 'success',
       'version ' || version || ' stored from "' || source
         || '" (recorded by migration 0006)',
       'cables-migrate (migration 0006)'
FROM cable_versions
ORDER BY ingested_at, canonical_id, version;

INSERT INTO cable_events (canonical_id, version, event_type, outcome,
                          outcome_detail, agent)
SELECT canonical_id, version, 'message digest calculation', 'success',
       'SHA-512 ' || content_sha512
         || ' (backfilled; the SHA-256 of the same bytes matched)',
       'cables-migrate (migration 0006)'
FROM cable_versions
WHERE content_sha512 IS NOT NULL
ORDER BY canonical_id, version;

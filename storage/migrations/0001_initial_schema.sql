-- 0001: the cable archive schema.
--
-- Migrations are append-only: never edit a file once it has been applied
-- anywhere (cables-migrate refuses a database whose recorded checksum of a
-- file differs); add a new NNNN_name.sql instead.
--
-- Layout
--   cables            one row per canonical id: the CURRENT version's parsed
--                     fields, the full-text vector and what listing/facets
--                     need. Rewritten only when a new version arrives.
--   cable_versions    every distinct content a cable ever had (append-only):
--                     sha256, source, ingest time, header and body text and
--                     the rest of the parsed cables.v1.Cable (serialized).
--   cable_paragraphs  one row per numbered paragraph of every version.
--   cable_tags, cable_references, cable_recipients
--                     the current version's lists, one row per entry.
--   cable_aliases     reference ids as written -> canonical id.
--   tags, origins, classifications, caveats
--                     dictionaries of every value seen.
--   ingest_requests   responses of idempotent ingest requests.
--
-- No foreign keys between these tables: the repository writes a cable and
-- all its rows in one transaction, and FK checks would lock the parent row
-- for each of the millions of child rows a bulk import writes.

-- RUM (Debian package postgresql-15-rum) for the full-text index: it answers
-- "top 10 by rank" from the index (ORDER BY search <=> query), where GIN must
-- rank every match; see storage/README.md, GIN_VS_RUM. Creating it needs a
-- superuser (or a pre-created extension).
CREATE EXTENSION IF NOT EXISTS rum;

CREATE TABLE cables (
  canonical_id           text PRIMARY KEY,
  reference_id           text NOT NULL,
  created                timestamptz,
  released               timestamptz,
  -- Keyset ordering key: cables without a date sort first (ascending).
  sort_date              timestamptz GENERATED ALWAYS AS
                           (coalesce(created, '-infinity'::timestamptz)) STORED,
  origin                 text NOT NULL DEFAULT '',
  classification         text NOT NULL DEFAULT '',
  caveats                text[] NOT NULL DEFAULT '{}',
  tags                   text[] NOT NULL DEFAULT '{}',
  -- TagKind enum values, tag_kinds[i] describes tags[i].
  tag_kinds              smallint[] NOT NULL DEFAULT '{}',
  subject                text NOT NULL DEFAULT '',
  summary                text NOT NULL DEFAULT '',
  signers                text[] NOT NULL DEFAULT '{}',
  classified_by          text[] NOT NULL DEFAULT '{}',
  classification_reasons text[] NOT NULL DEFAULT '{}',
  declassify_on          text NOT NULL DEFAULT '',
  partial                boolean NOT NULL DEFAULT false,
  redacted               boolean NOT NULL DEFAULT false,
  transmission_id        text NOT NULL DEFAULT '',
  -- SourceFormat enum value of the current version.
  source_format          smallint NOT NULL DEFAULT 0,
  paragraph_count        integer NOT NULL DEFAULT 0,
  reference_count        integer NOT NULL DEFAULT 0,
  current_version        integer NOT NULL CHECK (current_version >= 1),
  content_sha256         text NOT NULL,
  first_ingested_at      timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  -- Full text: subject weight A, body weight B, 'english' configuration.
  search                 tsvector NOT NULL
);

-- Keyset (cursor) pagination by date, with and without the common filters.
CREATE INDEX cables_sort_idx ON cables (sort_date, canonical_id);
CREATE INDEX cables_origin_sort_idx
  ON cables (origin, sort_date, canonical_id);
CREATE INDEX cables_classification_sort_idx
  ON cables (classification, sort_date, canonical_id);
CREATE INDEX cables_tags_idx ON cables USING gin (tags);
CREATE INDEX cables_caveats_idx ON cables USING gin (caveats);
-- Ranked full-text search: WHERE search @@ q ORDER BY search <=> q.
-- Bulk imports drop and rebuild it (deferred_indexes).
CREATE INDEX cables_search_idx ON cables USING rum (search rum_tsvector_ops);

CREATE TABLE cable_versions (
  canonical_id   text NOT NULL,
  version        integer NOT NULL CHECK (version >= 1),
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  -- Reserved for a second digest; NULL until a writer fills it.
  content_sha512 text,
  -- Where this content came from (file name, request id, ...).
  source         text NOT NULL DEFAULT '',
  source_format  smallint NOT NULL DEFAULT 0,
  ingested_at    timestamptz NOT NULL DEFAULT now(),
  header         text NOT NULL DEFAULT '',
  body           text NOT NULL DEFAULT '',
  -- The parsed cables.v1.Cable of this version, serialized, WITHOUT header,
  -- body and paragraphs (stored in the columns above and in
  -- cable_paragraphs); the repository reassembles the full message.
  cable          bytea NOT NULL,
  PRIMARY KEY (canonical_id, version),
  -- One row per distinct content: re-ingesting known content is a no-op.
  UNIQUE (canonical_id, content_sha256)
);
ALTER TABLE cable_versions ALTER COLUMN body SET COMPRESSION lz4;
ALTER TABLE cable_versions ALTER COLUMN header SET COMPRESSION lz4;

CREATE TABLE cable_paragraphs (
  canonical_id text NOT NULL,
  version      integer NOT NULL,
  -- 0-based order within the version (numbers may repeat or skip).
  position     integer NOT NULL,
  number       integer NOT NULL,
  marking      text NOT NULL DEFAULT '',
  heading      text NOT NULL DEFAULT '',
  text         text NOT NULL DEFAULT '',
  PRIMARY KEY (canonical_id, version, position)
);
ALTER TABLE cable_paragraphs ALTER COLUMN text SET COMPRESSION lz4;

CREATE TABLE cable_tags (
  canonical_id text NOT NULL,
  position     integer NOT NULL,
  tag          text NOT NULL,
  kind         smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (canonical_id, position)
);
CREATE INDEX cable_tags_tag_idx ON cable_tags (tag, canonical_id);

-- A REF block entry of the citing cable's current version. cited_id is the
-- canonical id of a cited cable (empty for non-cable references); it need
-- not exist in `cables` yet, so "cited by" works as soon as it arrives.
CREATE TABLE cable_references (
  citing_id text NOT NULL,
  position  integer NOT NULL,
  cited_id  text NOT NULL DEFAULT '',
  kind      smallint NOT NULL DEFAULT 0,
  letter    text NOT NULL DEFAULT '',
  text      text NOT NULL DEFAULT '',
  PRIMARY KEY (citing_id, position)
);
CREATE INDEX cable_references_cited_idx
  ON cable_references (cited_id, citing_id) WHERE cited_id <> '';

CREATE TABLE cable_recipients (
  canonical_id text NOT NULL,
  position     integer NOT NULL,
  kind         smallint NOT NULL DEFAULT 0,
  route        text NOT NULL DEFAULT '',
  name         text NOT NULL DEFAULT '',
  precedence   smallint NOT NULL DEFAULT 0,
  mcn          text NOT NULL DEFAULT '',
  PRIMARY KEY (canonical_id, position)
);

-- Reference ids as sources wrote them, when different from the canonical id.
CREATE TABLE cable_aliases (
  alias        text PRIMARY KEY,
  canonical_id text NOT NULL
);
CREATE INDEX cable_aliases_canonical_idx ON cable_aliases (canonical_id);

CREATE TABLE tags (
  tag  text PRIMARY KEY,
  -- TagKind of the first occurrence.
  kind smallint NOT NULL DEFAULT 0
);
CREATE TABLE origins (name text PRIMARY KEY);
CREATE TABLE classifications (name text PRIMARY KEY);
CREATE TABLE caveats (name text PRIMARY KEY);

-- Indexes a bulk import dropped (CableRepository::BeginBulkLoad) and must
-- rebuild (EndBulkLoad), with their definitions as pg_indexes gave them.
CREATE TABLE deferred_indexes (
  name        text PRIMARY KEY,
  definition  text NOT NULL,
  deferred_at timestamptz NOT NULL DEFAULT now()
);

-- Idempotent ingest: the response of each request id, replayed on retry.
CREATE TABLE ingest_requests (
  request_id text PRIMARY KEY,
  response   bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

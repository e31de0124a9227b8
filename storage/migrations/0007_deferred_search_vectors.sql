-- 0007: full-text vectors may be filled after the write.
--
-- cables.search (subject weight A, body weight B, 'english') and its RUM
-- index cost more than every other part of a write together: to_tsvector
-- reads ~5 MB/s per core (~6 minutes of CPU for the 251,287 cables of the
-- full release), and the RUM index's row-by-row upkeep ten times that.
-- A bulk import may therefore store cables with search NULL (write option
-- defer_search_vectors); the search service fills them in the background
-- (PgSearchVectorFiller), in id order, rebuilding the RUM index in one pass
-- after a large backlog. Until then such a
-- cable is stored, versioned and retrievable, found by the search index
-- (which reads the cables themselves), but not by the PostgreSQL full-text
-- fallback. Ordinary writes still compute the vector in the same
-- transaction.
--
-- cables_search_vector() is the one definition of the vector: the merge,
-- the fill and any rebuild use it.

CREATE FUNCTION cables_search_vector(subject text, body text)
  RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN setweight(to_tsvector('english'::regconfig, subject), 'A') ||
         setweight(to_tsvector('english'::regconfig, body), 'B');

ALTER TABLE cables ALTER COLUMN search DROP NOT NULL;

-- The cables still waiting for their vector, in id order (the fill's scan).
CREATE INDEX cables_search_pending_idx ON cables (canonical_id)
  WHERE search IS NULL;

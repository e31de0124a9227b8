#!/usr/bin/env bash
# gin_vs_rum.sh CSV LABEL: measures GIN vs RUM full-text indexes on one
# synth-corpus file, against $DATABASE_URL (needs postgresql-15-rum).
# Prints build time, index size and top-10 ranked query latency (median of 5
# warm runs) for a common and a rare word, plus the cost of inserting 5,000
# more documents into an already indexed table.
set -euo pipefail
csv=$1; label=$2
url=${DATABASE_URL:?set DATABASE_URL}
psql=(psql -X -q -v ON_ERROR_STOP=1 "$url")
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

"${psql[@]}" <<SQL
CREATE EXTENSION IF NOT EXISTS rum;
DROP TABLE IF EXISTS fts_raw, fts_docs, fts_extra;
CREATE TABLE fts_raw (rownum text, created text, ref text, origin text,
  class text, refs text, header text, body text);
\copy fts_raw FROM '$csv' WITH (FORMAT csv, ESCAPE '\')
SQL
t=$(now)
"${psql[@]}" <<'SQL'
SET max_parallel_maintenance_workers = 0;
CREATE TABLE fts_docs AS
  SELECT ref AS id,
         setweight(to_tsvector('english', coalesce(substring(body from 'SUBJECT:([^\n]*)'), '')), 'A') ||
         setweight(to_tsvector('english', body), 'B') AS search
  FROM fts_raw;
CREATE TABLE fts_extra AS SELECT 'extra-' || id AS id, search FROM fts_docs ORDER BY random() LIMIT 5000;
VACUUM ANALYZE fts_docs;
SQL
echo "$label docs=$("${psql[@]}" -At -c 'SELECT count(*) FROM fts_docs') tsvector_compute_s=$(since "$t")"

query_ms() {  # $1 = SQL; prints the median of 5 warm executions (ms)
  "${psql[@]}" -c "$1" >/dev/null  # warm
  for _ in 1 2 3 4 5; do
    "${psql[@]}" -At -c "EXPLAIN (ANALYZE, FORMAT JSON) $1" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])'
  done | sort -n | sed -n 3p
}

for kind in gin rum; do
  if [[ $kind == gin ]]; then ops="gin (search)"; else ops="rum (search rum_tsvector_ops)"; fi
  "${psql[@]}" -c "DROP INDEX IF EXISTS fts_idx"
  t=$(now)
  "${psql[@]}" -c "SET maintenance_work_mem='256MB'; SET max_parallel_maintenance_workers=0; CREATE INDEX fts_idx ON fts_docs USING $ops"
  build=$(since "$t")
  size=$("${psql[@]}" -At -c "SELECT pg_size_pretty(pg_relation_size('fts_idx'))")
  for word in government "$RARE_WORD"; do
    if [[ $kind == gin ]]; then
      q="SELECT id, ts_rank(search, q) AS r FROM fts_docs, to_tsquery('english', '$word') q WHERE search @@ q ORDER BY r DESC LIMIT 10"
    else
      q="SELECT id, search <=> q AS r FROM fts_docs, to_tsquery('english', '$word') q WHERE search @@ q ORDER BY search <=> q LIMIT 10"
    fi
    hits=$("${psql[@]}" -At -c "SELECT count(*) FROM fts_docs, to_tsquery('english', '$word') q WHERE search @@ q")
    echo "$label $kind query '$word' hits=$hits top10_ms=$(query_ms "$q")"
  done
  t=$(now)
  "${psql[@]}" -c "INSERT INTO fts_docs SELECT * FROM fts_extra"
  ins=$(since "$t")
  "${psql[@]}" -c "DELETE FROM fts_docs WHERE id LIKE 'extra-%'"
  echo "$label $kind build_s=$build size=$size insert5000_s=$ins"
done
"${psql[@]}" -c "DROP INDEX IF EXISTS fts_idx"

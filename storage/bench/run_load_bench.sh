#!/usr/bin/env bash
# run_load_bench.sh: the storage load benchmark of issue #3.
#
#   storage/bench/run_load_bench.sh [--count N] [--build DIR] [--writers N]
#                                   [--batch N] [--keep]
#
# 1. synth-corpus --count N (default 251287) into a temp folder;
# 2. a private PostgreSQL 15 cluster (tools/embedded-pg) in that folder;
# 3. baseline, PostgreSQL alone: psql \copy of the same CSV rows into an
#    unindexed table, then CREATE INDEX of the same full-text index (RUM over
#    subject weight A + body weight B, 'english');
# 4. the repository load: load_bench (parser + PgCableRepository::BulkUpsert,
#    with BeginBulkLoad/EndBulkLoad) into a freshly migrated database, under
#    /usr/bin/time -v for the loader's peak memory;
# 5. repository read latencies (load_bench --reads-only), then a re-import of
#    the same file (every cable "unchanged");
# and prints cables/s, MB/s, the ratio to the baseline and peak RSS, after
# the machine's description. Needs a build with load_bench and
# cables-migrate (default build dir: build/).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
count=251287
build=$repo_root/build
writers=2
batch=1000
keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --writers) writers=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--count N] [--build DIR] [--writers N] [--batch N] [--keep]" >&2; exit 2 ;;
  esac
done
load_bench=$build/storage/bench/load_bench
migrate=$build/bin/cables-migrate
[[ -x $load_bench && -x $migrate ]] ||
  { echo "build load_bench and cables-migrate first (ninja -C $build load_bench cables-migrate)" >&2; exit 2; }
synth=$repo_root/../shared/tools/synth-corpus
[[ -f $synth ]] || synth=/work/shared/tools/synth-corpus

work=$(mktemp -d /tmp/cables-load-bench.XXXXXX)
cleanup() {
  "$repo_root/tools/embedded-pg" stop --dir "$work/pg" --purge >/dev/null 2>&1 || true
  [[ $keep -eq 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

echo "== storage load benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: nproc=$(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
free -h | sed 's/^/  /'
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "postgres: $(/usr/lib/postgresql/15/bin/postgres --version); rum: $(dpkg-query -W -f='${Version}' postgresql-15-rum 2>/dev/null || echo none)"
echo "settings: writers=$writers batch=$batch"

t=$(now)
/usr/bin/python3 "$synth" --count "$count" --seed 1 --out "$work/cables.csv"
bytes=$(stat -c %s "$work/cables.csv")
mb=$(echo "scale=2; $bytes / 1000000" | bc)
echo "corpus: $count cables, $mb MB (synth-corpus took $(secs "$t" "$(now)") s)"

url=$("$repo_root/tools/embedded-pg" start --dir "$work/pg" --no-migrate \
  --conf max_wal_size=4GB 2>/dev/null | tail -n1)
base=${url%/*}
psql=(psql -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" "$base/postgres" -c "CREATE DATABASE baseline" -c "CREATE DATABASE repo"

# --- Baseline: PostgreSQL alone -------------------------------------------
"${psql[@]}" "$base/baseline" -c "CREATE EXTENSION rum" -c "CREATE TABLE raw (
  rownum text, created text, reference_id text, origin text,
  classification text, refs text, header text, body text)"
t=$(now)
"${psql[@]}" "$base/baseline" -c "\\copy raw FROM '$work/cables.csv' WITH (FORMAT csv, ESCAPE '\\')"
copy_s=$(secs "$t" "$(now)")
t=$(now)
"${psql[@]}" "$base/baseline" -c "SET maintenance_work_mem = '512MB'" -c "CREATE INDEX raw_search_idx ON raw USING rum ((
  setweight(to_tsvector('english', coalesce(substring(body from 'SUBJECT:([^\n]*)'), '')), 'A') ||
  setweight(to_tsvector('english', body), 'B')) rum_tsvector_ops)"
index_s=$(secs "$t" "$(now)")
baseline_s=$(echo "$copy_s + $index_s" | bc)
rows=$("${psql[@]}" -At "$base/baseline" -c "SELECT count(*) FROM raw")
echo "baseline_rows=$rows"
echo "baseline_copy_s=$copy_s"
echo "baseline_index_s=$index_s"
echo "baseline_total_s=$baseline_s"
printf 'baseline_cables_per_s=%.0f\n' "$(echo "$rows / $baseline_s" | bc -l)"
printf 'baseline_mb_per_s=%.2f\n' "$(echo "$mb / $baseline_s" | bc -l)"
"${psql[@]}" "$base/postgres" -c "DROP DATABASE baseline"

# --- The repository load ----------------------------------------------------
"$migrate" --database "$base/repo" 2>/dev/null
t=$(now)
/usr/bin/time -v -o "$work/time.txt" "$load_bench" --csv "$work/cables.csv" \
  --database "$base/repo" --writers "$writers" --batch "$batch" --source cables.csv |
  tee "$work/load.txt"
repo_s=$(secs "$t" "$(now)")
rss_kib=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
echo "repo_wall_s=$repo_s"
echo "repo_loader_peak_rss_mib=$((rss_kib / 1024)) (/usr/bin/time -v)"
"${psql[@]}" -At "$base/repo" -c "SELECT 'db_cables=' || count(*) FROM cables" \
  -c "SELECT 'db_versions=' || count(*) FROM cable_versions" \
  -c "SELECT 'db_paragraphs=' || count(*) FROM cable_paragraphs" \
  -c "SELECT 'db_references=' || count(*) FROM cable_references" \
  -c "SELECT 'db_size=' || pg_size_pretty(pg_database_size(current_database()))" \
  -c "SELECT 'search_index_size=' || pg_size_pretty(pg_relation_size('cables_search_idx'))"

# --- Reads on the loaded database -------------------------------------------
"$load_bench" --reads-only --database "$base/repo"

# --- Re-import of the same file: everything must be "unchanged" ------------
t=$(now)
"$load_bench" --csv "$work/cables.csv" --database "$base/repo" \
  --writers "$writers" --batch "$batch" --no-defer-index --source cables.csv |
  sed 's/^repo_/reimport_/' | grep -E 'reimport_(cables_stored|total_s|cables_per_s|mb_per_s)'
echo "reimport_wall_s=$(secs "$t" "$(now)")"

ratio=$(echo "scale=2; $repo_s / $baseline_s" | bc)
echo "ratio_repo_to_baseline=$ratio (goal <= 1.5)"
if (( rss_kib < 1048576 )); then echo "peak_rss_goal=met (< 1 GiB)"; else echo "peak_rss_goal=MISSED"; fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

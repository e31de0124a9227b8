#!/usr/bin/env bash
# run_import_bench.sh: the end-to-end import benchmark of issue #4.
#
#   tests/bench/run_import_bench.sh [--count N] [--csv FILE] [--build DIR]
#                                   [--no-bulk] [--keep]
#
# 1. synth-corpus --count N --seed 1 (default 251287, the full release), or
#    the given --csv file;
# 2. a private PostgreSQL 15 cluster (tools/embedded-pg, max_wal_size 4GB);
# 3. the storage layer's own load of that file (load_bench: parser +
#    PgCableRepository::BulkUpsert, 2 writers, batches of 1000) into a
#    freshly migrated database -- the baseline, measured in the same run;
# 4. the same file through `cablectl import` to a cables-ingest service
#    into another fresh database (bulk mode: --bulk, unless --no-bulk; the
#    baseline then defers vectors too, so both do the same work);
# 5. checks that both databases hold the same cables with the same content
#    hashes, then starts cables-search on the imported database and times
#    how long it takes to fill the deferred vectors (bulk mode).
# Prints cables/s, MB/s and the ratio import / storage load (goal: import
# under 300 s for the full release, within 1.3x of the storage load).
# Needs a build with load_bench, cables-migrate, cables-ingest,
# cables-search and cablectl (default build dir: build/release).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
count=251287
csv=""
build=$repo_root/build/release
bulk=1
keep=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --csv) csv=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-bulk) bulk=0; shift ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--count N] [--csv FILE] [--build DIR] [--no-bulk] [--keep]" >&2; exit 2 ;;
  esac
done
bin=$build/bin
load_bench=$build/storage/bench/load_bench
for b in "$load_bench" "$bin/cables-migrate" "$bin/cables-ingest" "$bin/cables-search" "$bin/cablectl"; do
  [[ -x $b ]] || { echo "missing $b (ninja -C $build load_bench cables-migrate cables-ingest cables-search cablectl)" >&2; exit 2; }
done
synth=$repo_root/../shared/tools/synth-corpus

work=$(mktemp -d /tmp/cables-import-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$repo_root/tools/embedded-pg" stop --dir "$work/pg" --purge >/dev/null 2>&1 || true
  [[ $keep -eq 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rate() { printf '%.1f' "$(echo "$1 / $2" | bc -l)"; }

echo "== import benchmark (issue #4), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: nproc=$(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); mem: $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "postgres: $(/usr/lib/postgresql/15/bin/postgres --version)"
echo "build: $build ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2)); commit $(git -C "$repo_root" describe --always --dirty)"
echo "mode: $([[ $bulk -eq 1 ]] && echo 'bulk (cablectl import --bulk; load_bench --defer-vectors)' || echo 'ordinary (vectors computed in the write)')"

if [[ -z $csv ]]; then
  csv=$work/cables.csv
  t=$(now)
  /usr/bin/python3 "$synth" --count "$count" --seed 1 --out "$csv"
  echo "synth-corpus: $count cables in $(secs "$t" "$(now)") s"
fi
bytes=$(stat -c %s "$csv")
mb=$(echo "scale=2; $bytes / 1000000" | bc)
echo "corpus: $csv, $mb MB"

url=$("$repo_root/tools/embedded-pg" start --dir "$work/pg" --no-migrate \
  --conf max_wal_size=4GB 2>/dev/null | tail -n1)
base=${url%/*}
psql=(psql -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" "$base/postgres" -c "CREATE DATABASE storage_load" -c "CREATE DATABASE import"
"$bin/cables-migrate" --database "$base/storage_load" 2>/dev/null
"$bin/cables-migrate" --database "$base/import" 2>/dev/null

# --- Baseline: the storage layer's own load --------------------------------
defer=()
[[ $bulk -eq 1 ]] && defer=(--defer-vectors)
t=$(now)
"$load_bench" --csv "$csv" --database "$base/storage_load" --writers 2 \
  --batch 1000 --no-defer-index "${defer[@]}" --source cables.csv >"$work/load.txt"
load_s=$(secs "$t" "$(now)")
load_rows=$("${psql[@]}" -At "$base/storage_load" -c "SELECT count(*) FROM cables")
echo "storage_load_s=$load_s"
echo "storage_load_cables=$load_rows"
echo "storage_load_cables_per_s=$(rate "$load_rows" "$load_s")"
echo "storage_load_mb_per_s=$(rate "$mb" "$load_s")"
"${psql[@]}" "$base/storage_load" -c "CHECKPOINT"

# --- The end-to-end import ---------------------------------------------------
port=$(free_port)
"$bin/cables-ingest" --listen "127.0.0.1:$port" --database "$base/import" \
  >"$work/ingest.log" 2>&1 &
pids+=($!)
"$bin/cablectl" health --wait 30 "127.0.0.1:$port" >/dev/null
bulk_flag=()
[[ $bulk -eq 1 ]] && bulk_flag=(--bulk)
t=$(now)
"$bin/cablectl" import --ingest "127.0.0.1:$port" "${bulk_flag[@]}" "$csv" \
  >"$work/import.txt" 2>&1 || { cat "$work/import.txt"; exit 1; }
import_s=$(secs "$t" "$(now)")
sed 's/^/cablectl: /' "$work/import.txt" | tail -n 3
import_rows=$("${psql[@]}" -At "$base/import" -c "SELECT count(*) FROM cables")
echo "import_s=$import_s"
echo "import_cables=$import_rows"
echo "import_cables_per_s=$(rate "$import_rows" "$import_s")"
echo "import_mb_per_s=$(rate "$mb" "$import_s")"
ratio=$(printf '%.2f' "$(echo "$import_s / $load_s" | bc -l)")
echo "ratio_import_to_storage_load=$ratio (goal <= 1.3)"
if (( $(echo "$import_s < 300" | bc) )); then
  echo "import_under_5_min=met ($import_s s)"
else
  echo "import_under_5_min=MISSED ($import_s s)"
fi

# --- Same cables, same content, in both ---------------------------------------
digest() {
  "${psql[@]}" -At "$1" -c "SELECT md5(string_agg(canonical_id || ':' || content_sha256, ',' ORDER BY canonical_id)) FROM cables"
}
if [[ $(digest "$base/storage_load") == "$(digest "$base/import")" ]]; then
  echo "same_cables_and_content=yes"
else
  echo "same_cables_and_content=NO"
fi
echo "db_size=$("${psql[@]}" -At "$base/import" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

# --- Then: the deferred vectors filled by the search service ------------------
if [[ $bulk -eq 1 ]]; then
  sport=$(free_port)
  t=$(now)
  "$bin/cables-search" --listen "127.0.0.1:$sport" --database "$base/import" \
    --search_index=false >"$work/search.log" 2>&1 &
  pids+=($!)
  while :; do
    pending=$("${psql[@]}" -At "$base/import" -c "SELECT count(*) FROM cables WHERE search IS NULL")
    [[ $pending -eq 0 ]] && break
    sleep 2
  done
  echo "vector_fill_s=$(secs "$t" "$(now)") (cables-search in the background, after the import)"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

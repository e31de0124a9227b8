#!/usr/bin/env bash
# run_search_bench.sh: the search benchmark of issue #6, in one run.
#
#   services/search/bench/run_search_bench.sh --database URL --sqlite DB
#       [--build DIR] [--queries FILE] [--seconds S] [--index_dir DIR]
#       [--clients "1 16"] [--modes "grpc direct sqlite"]
#       [--service_args "--result_cache_mb 0 ..."]
#
# Needs a database loaded with the corpus (storage/bench/load_bench) and
# the SQLite FTS5 database of the same CSV (sqlite_fts5_bench.py build).
# 1. starts cables-search with a fresh index directory and waits until the
#    index is built and serving (build time, index size from its log);
# 2. for each client count: search_bench through gRPC (the index),
#    search_bench --database (the same queries through PgSearchRepository,
#    in-process: the direct SQL), sqlite_fts5_bench.py run;
# 3. prints the service's RSS (current and peak) and the load average
#    before and after every run.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
build=$repo_root/build
queries=$repo_root/bench/search-queries.txt
seconds=30
clients="1 16"
modes="grpc direct sqlite"
database=""
sqlite=""
index_dir=""
service_args=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --database) database=$2; shift 2 ;;
    --sqlite) sqlite=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --index_dir) index_dir=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --service_args) service_args=$2; shift 2 ;;
    *) echo "usage: $0 --database URL --sqlite DB [--build DIR] [--queries FILE] [--seconds S] [--index_dir DIR] [--clients LIST] [--modes LIST]" >&2; exit 2 ;;
  esac
done
[[ -n $database ]] || { echo "--database is required" >&2; exit 2; }
bench=$build/services/search/bench/search_bench
service=$build/bin/cables-search
[[ -x $bench && -x $service ]] ||
  { echo "build search_bench and cables-search first" >&2; exit 2; }
work=$(mktemp -d /tmp/cables-search-bench.XXXXXX)
[[ -n $index_dir ]] || index_dir=$work/index
port=$((20000 + RANDOM % 20000))
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== search benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: nproc=$(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); mem: $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "postgres: $(/usr/lib/postgresql/15/bin/postgres --version); xapian: $(dpkg-query -W -f='${Version}' libxapian30 2>/dev/null); sqlite: $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
echo "queries: $(grep -cv '^\s*\(#\|$\)' "$queries") ($queries); seconds per run: $seconds; page_size 20, no facets"
echo "service flags: --pool_size 4 $service_args"
echo "load average at start: $(load)"

"$service" --listen "127.0.0.1:$port" --database "$database" \
  --index_dir "$index_dir" --pool_size 4 $service_args >"$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
t0=$(date +%s.%N)
until grep -q '"search index ready"' "$work/service.log"; do
  kill -0 $pid 2>/dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 1
done
echo "index_ready_s=$(echo "$(date +%s.%N) - $t0" | bc)"
grep -h '"search index: full build done"' "$work/service.log" | sed 's/^/index_build: /' || true
echo "index_size_mb=$(du -sm "$index_dir" | cut -f1)"
echo "service_rss_after_build_mb=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)"
echo "load average after build: $(load)"

warmup=1  # one untimed pass over the mix per mode, before its first run
for c in $clients; do
  for mode in $modes; do
    echo "--- $mode, $c client(s); load average before: $(load)"
    case $mode in
      grpc) "$bench" --queries "$queries" --clients "$c" --seconds "$seconds" \
              --warmup "$warmup" --target "127.0.0.1:$port" >"$work/out.txt" || true ;;
      direct) "$bench" --queries "$queries" --clients "$c" --seconds "$seconds" \
                --warmup "$warmup" --database "$database" >"$work/out.txt" || true ;;
      sqlite) /usr/bin/python3 "$repo_root/services/search/bench/sqlite_fts5_bench.py" \
                run "$sqlite" "$queries" "$c" "$seconds" "$warmup" \
                >"$work/out.txt" 2>/dev/null || true ;;
    esac
    grep -v '^query=' "$work/out.txt" || true
    # The slowest queries of the run.
    grep '^query=' "$work/out.txt" |
      sed -E 's/.* mean_ms=([0-9.]+).*/\1 &/' | sort -g -r | head -5 |
      cut -d' ' -f2- | sed 's/^/  slow: /' || true
    echo "load average after: $(load)"
  done
  warmup=0
done
echo "service_rss_mb=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status) service_peak_rss_mb=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)"
echo "load average at end: $(load)"

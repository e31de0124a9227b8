#!/usr/bin/env bash
# run_mixed_load.sh: the mixed-load run of issue #8 in one command.
#
#   tests/load/run_mixed_load.sh --database URL --index_dir DIR --build DIR
#       [--duration 10m] [--sweep "4 8 16 32"] [--sweep_duration 20s]
#       [--clients N] [--slow_clients 300] [--ingest_csv FILE]
#       [--queries FILE] [--ids_count 20000] [--service_args "ARGS"]
#
# --database: the database holding the corpus (e.g. the 251,287 cables);
# --index_dir: the search index matching it (reused; cables-search catches
# up from the change feed); --build: a build directory whose bin/ holds the
# Release cables-search, cables-metadata, cables-ingest, cablectl and
# mixed_load.
# 1. starts the three services on free loopback ports (with --service_args,
#    e.g. "--pool_size 8"), waits until they are healthy and the search
#    index is ready (caught up);
# 2. samples --ids_count random canonical ids (psql) for GetCable; without
#    --ingest_csv makes 20,000 synthetic rows (synth-corpus, seed 99);
# 3. unless --clients is given, a sweep: mixed_load for --sweep_duration at
#    each client count of --sweep, and picks the highest throughput with no
#    error ("the highest rate the machine sustains");
# 4. the run: mixed_load at that client count for --duration, the second
#    half beside --slow_clients idle connections and never-read streams,
#    sampling the services' memory every 5 s;
# 5. stops the services (SIGTERM) and prints their logs' warnings.
# Everything goes to stdout. Each run ingests rows no earlier run of this
# script's sweep used (mixed_load --ingest_start); the ingests write to the
# database (5% of calls).
set -uo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
database="" index_dir="" build=""
duration=10m sweep="4 8 16 32" sweep_duration=20s clients="" slow_clients=300
ingest_csv="" queries="$src/../shared/bench/queries.txt" ids_count=20000
service_args=""
usage() {
  sed -n '3,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || usage
  case $1 in
    --database) database=$2 ;;
    --index_dir) index_dir=$2 ;;
    --build) build=$2 ;;
    --duration) duration=$2 ;;
    --sweep) sweep=$2 ;;
    --sweep_duration) sweep_duration=$2 ;;
    --clients) clients=$2 ;;
    --slow_clients) slow_clients=$2 ;;
    --ingest_csv) ingest_csv=$2 ;;
    --queries) queries=$2 ;;
    --ids_count) ids_count=$2 ;;
    --service_args) service_args=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[[ -n $database && -n $index_dir && -n $build ]] || usage
build=$(cd "$build" && pwd) || exit 2
for b in cables-search cables-metadata cables-ingest cablectl mixed_load; do
  [[ -x $build/bin/$b ]] || { echo "missing $build/bin/$b (build it first)" >&2; exit 2; }
done

E2E_BIN=$build/bin E2E_BUILD=$build
. "$src/tests/e2e/lib.sh"
# Stop the services gently (the search index commits), then lib.sh's cleanup.
stop_services() {
  local pid
  for pid in "${e2e_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${e2e_pids[@]}"; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}
trap 'stop_services; e2e_cleanup' EXIT

echo "== mixed load (issue #8): $(date -u)"
echo "machine: nproc=$(nproc); cpu: $(lscpu | sed -n 's/^Model name: *//p'); mem: $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "build: $build ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null)); commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null)"
echo "postgres: $(psql "$database" -qAtc 'SHOW server_version' 2>/dev/null); corpus: $(psql "$database" -qAtc 'SELECT count(*) FROM cables' 2>/dev/null) cables; index_dir: $index_dir ($(du -sh "$index_dir" 2>/dev/null | cut -f1))"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
search="127.0.0.1:$(e2e_free_port)"
# shellcheck disable=SC2086  # service_args is a list of flags
{
  e2e_start cables-ingest "$ingest" "$database" $service_args &&
    ingest_pid=$e2e_last_pid &&
    e2e_start cables-metadata "$metadata" "$database" $service_args &&
    metadata_pid=$e2e_last_pid &&
    e2e_start cables-search "$search" "$database" --index_dir "$index_dir" $service_args &&
    search_pid=$e2e_last_pid
} || exit 1
echo "services: search=$search (pid $search_pid) metadata=$metadata (pid $metadata_pid) ingest=$ingest (pid $ingest_pid) args: ${service_args:-none}"
t0=$(date +%s)
until grep -q '"search index ready"' "$e2e_tmp/cables-search.log"; do
  kill -0 "$search_pid" 2>/dev/null || { echo "cables-search exited"; tail -20 "$e2e_tmp/cables-search.log"; exit 1; }
  [[ $(( $(date +%s) - t0 )) -lt 1800 ]] || { echo "search index not ready after 30 minutes"; exit 1; }
  sleep 1
done
echo "search index ready after $(( $(date +%s) - t0 )) s"

ids="$e2e_tmp/ids.txt"
psql "$database" -qAtc "SELECT canonical_id FROM cables ORDER BY random() LIMIT $ids_count" > "$ids" ||
  { echo "cannot sample ids"; exit 1; }
if [[ -z $ingest_csv ]]; then
  ingest_csv="$e2e_tmp/ingest.csv"
  /usr/bin/python3 "$src/../shared/tools/synth-corpus" --count 20000 --seed 99 --out "$ingest_csv" || exit 1
fi
echo "get ids: $(wc -l < "$ids") random canonical ids; ingest rows: $ingest_csv; queries: $queries"

pids="search=$search_pid,metadata=$metadata_pid,ingest=$ingest_pid"
ingest_next=0
# run_load OUT ARGS...: one mixed_load run; output in OUT, stderr in OUT.err.
run_load() {
  local out=$1
  shift
  "$build/bin/mixed_load" --search "$search" --metadata "$metadata" \
    --ingest "$ingest" --queries "$queries" --ids "$ids" \
    --ingest_csv "$ingest_csv" --ingest_start "$ingest_next" --pids "$pids" \
    "$@" > "$out" 2> "$out.err"
  local next
  next=$(sed -n 's/^ingest_next=//p' "$out")
  [[ -n $next ]] && ingest_next=$next
  return 0
}
field() {  # field FILE REGEX: the first capture of REGEX (sed -E) in FILE
  sed -nE "s/$2/\\1/p" "$1" | head -1
}

if [[ -z $clients ]]; then
  echo
  echo "== sweep: $sweep_duration per client count (no slow clients)"
  best="" best_qps=0
  for n in $sweep; do
    out="$e2e_tmp/sweep-$n.txt"
    run_load "$out" --clients "$n" --duration "$sweep_duration" --warmup 5s
    qps=$(field "$out" '^throughput_qps=([0-9.]+)$')
    errors=$(field "$out" '^errors_total=([0-9]+).*')
    p99=$(field "$out" '^latency phase=all method=total .* p99_ms=([0-9.]+) .*')
    s99=$(field "$out" '^latency phase=all method=search .* p99_ms=([0-9.]+) .*')
    echo "sweep clients=$n throughput_qps=${qps:-na} errors=${errors:-na} p99_ms=${p99:-na} search_p99_ms=${s99:-na} load=$(cut -d' ' -f1 /proc/loadavg)"
    if [[ -n $qps && ${errors:-1} == 0 ]] &&
       awk -v a="$qps" -v b="$best_qps" 'BEGIN { exit !(a > b) }'; then
      best=$n best_qps=$qps
    fi
    [[ ${errors:-1} == 0 ]] || sed 's/^/  /' "$out.err" | head -5
  done
  if [[ -z $best ]]; then
    best=$(echo "$sweep" | awk '{print $1}')
    echo "sweep: no client count without errors; using $best"
  else
    echo "sweep: best error-free throughput at clients=$best ($best_qps calls/s)"
  fi
  clients=$best
fi

echo
echo "== run: $clients clients, $duration, slow clients: $slow_clients"
out="$e2e_tmp/run.txt"
run_load "$out" --clients "$clients" --duration "$duration" --warmup 10s \
  --slow_clients "$slow_clients"
cat "$out"
[[ -s $out.err ]] && sed 's/^/stderr: /' "$out.err" | head -20
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in cables-search cables-metadata cables-ingest; do
  n=$(grep -ciE '"(level|severity)": *"(warning|error)"' "$e2e_tmp/$b.log" || true)
  echo "log $b: ${n:-0} warning/error lines"
  grep -iE '"(level|severity)": *"(warning|error)"' "$e2e_tmp/$b.log" | head -3 | sed 's/^/  /'
done
status=0
grep -q '^errors_total=0 ' "$out" || status=1
stop_services
echo "services stopped"
exit $status

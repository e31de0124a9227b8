#!/usr/bin/env bash
# Smoke test of the mixed-load generator (issue #8), for CI: a fresh
# database with the 1,295 real cables, the three real services, and
# mixed_load for ~20 s (80% search / 15% get / 5% ingest of synthetic rows,
# 4 clients; second half beside 30 idle connections and never-read
# ExportCables and WatchCables streams), sampling the services' memory.
# Checks: no call failed, and the output holds every figure (header,
# throughput, p50/p99/p99.9 per method and per half, p99 ratios, errors by
# method, memory timeline and summary per service, the slow clients still
# connected and the never-read streams still open -- held by flow control --
# at the end).
# Usage: mixed_load_smoke_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
#   MIXED_LOAD_SMOKE_SECONDS (default 20): length of the load.
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$SRC/tests/e2e/lib.sh"
corpus="$SRC/../shared/corpus/wikileaks-html"
seconds=${MIXED_LOAD_SMOKE_SECONDS:-20}

url=$(e2e_new_database mixload) || exit 1
ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
search="127.0.0.1:$(e2e_free_port)"
e2e_start cables-ingest "$ingest" "$url" || exit 1
ingest_pid=$e2e_last_pid
e2e_start cables-metadata "$metadata" "$url" || exit 1
metadata_pid=$e2e_last_pid
e2e_start cables-search "$search" "$url" --index_dir "$e2e_tmp/index" || exit 1
search_pid=$e2e_last_pid

"$E2E_BIN/cablectl" import --ingest "$ingest" "$corpus" > "$e2e_tmp/import.txt" 2>&1 ||
  { echo "import failed"; tail -5 "$e2e_tmp/import.txt"; exit 1; }
total=$(e2e_sql "$url" 'SELECT count(*) FROM cables')
/usr/bin/python3 "$SRC/../shared/tools/synth-corpus" --count 300 --seed 99 \
  --out "$e2e_tmp/ingest.csv" || exit 1

"$E2E_BIN/mixed_load" --search "$search" --metadata "$metadata" \
  --ingest "$ingest" --clients 4 --duration "${seconds}s" --warmup 1s \
  --queries "$SRC/../shared/bench/queries.txt" \
  --ingest_csv "$e2e_tmp/ingest.csv" --slow_clients 30 \
  --memory_interval 2s \
  --pids "search=$search_pid,metadata=$metadata_pid,ingest=$ingest_pid" \
  > "$e2e_tmp/out.txt" 2> "$e2e_tmp/err.txt"
status=$?
cat "$e2e_tmp/out.txt"
[ -s "$e2e_tmp/err.txt" ] && sed 's/^/stderr: /' "$e2e_tmp/err.txt" | head -20

out="$e2e_tmp/out.txt"
has() { grep -Eq "$1" "$out"; }
check "mixed_load exit 0 (no failed call)" test "$status" -eq 0
check "zero errors" has '^errors_total=0 '
check "header: date, machine, corpus, clients, duration" bash -c "
  grep -Eq '^date: .* UTC 20[0-9]{2}$' '$out' &&
  grep -Eq '^machine: nproc=[0-9]+ cpu=\".*\" mem_gib=[0-9.]+$' '$out' &&
  grep -q '^corpus_cables: $total$' '$out' &&
  grep -q '^clients: 4$' '$out' && grep -q '^duration: ${seconds}s ' '$out'"
check "throughput" has '^throughput_qps=[0-9.]*[1-9][0-9.]*$'
nums='calls=[1-9][0-9]* errors=0 qps=[0-9.]+ p50_ms=[0-9.]+ p99_ms=[0-9.]+ p999_ms=[0-9.]+ max_ms=[0-9.]+ mean_ms=[0-9.]+$'
for phase in all base slow; do
  for method in search get ingest total; do
    check "latency $phase $method: calls, errors, qps, p50/p99/p99.9" \
      has "^latency phase=$phase method=$method $nums"
  done
done
for method in search get ingest total; do
  check "p99 ratio $method" has "^p99_ratio method=$method base_p99_ms=[0-9.]+ slow_p99_ms=[0-9.]+ ratio=[0-9.]+ goal=<=2 (met|MISSED)$"
done
for method in search get ingest; do
  check "errors by code: $method" has "^errors method=$method count=0$"
done
check "ingest wrote cables" has '^ingest_outcomes: CREATED=[1-9]'
check "searches used page 2 and facets" has '^search_mix: page2=[1-9][0-9]* facets=[1-9]'
check "30 idle connections set up, still connected at the end" \
  has '^slow_clients: idle_connections=30 setup_ok=30 ready_at_end=30 '
check "never-read ExportCables open until cancelled" \
  has '^slow_export_stream: open_at_end=yes final=CANCELLED$'
check "never-read WatchCables open until cancelled" \
  has '^slow_watch_stream: open_at_end=yes final=CANCELLED$'
check "memory timeline of the three services" \
  has '^mem t_s=[0-9]+ phase=slow search=[0-9.]+ metadata=[0-9.]+ ingest=[0-9.]+$'
for service in search metadata ingest; do
  check "memory summary: $service under 300 MB" \
    has "^mem_summary service=$service start_mb=[0-9.]+ max_mb=[0-9.]+ end_mb=[0-9.]+ peak_hwm_mb=[0-9.]+ base_max_mb=[0-9.]+ slow_max_mb=[0-9.]+ slow_growth_mb=-?[0-9.]+ goal=<300 met$"
done
check "services still running" kill -0 "$search_pid" "$metadata_pid" "$ingest_pid"
e2e_finish

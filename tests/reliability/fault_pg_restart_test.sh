#!/usr/bin/env bash
# Fault 2 (issue #8): PostgreSQL crashes (`pg_ctl stop -m immediate`: no
# checkpoint, WAL replay at the next start) under the services, twice, on a
# private cluster with data checksums (tools/embedded-pg); never the shared
# test cluster.
#  - running: cables-ingest, cables-metadata, cables-search on SQL only
#    (--search_index=false) and cables-search with its local index; a
#    `cablectl import --retries` of a cables.csv and a loop of calls
#    (search on both search services, get and list on metadata)
#  - outage 1 in the middle of the import and of the search load, outage 2
#    in the middle of the search load alone; then the cluster is started
#    again (tools/embedded-pg start: the same port, so the same URL)
#  - during an outage: every service process stays alive, every health
#    check answers NOT_SERVING (no hang), calls that need the database fail
#    with UNAVAILABLE -- never another code, never a hang (each call ends
#    within 10 s) -- and calls that need not (the search index, metadata's
#    cache) may still succeed
#  - after it: health is SERVING again within 20 s and calls succeed again;
#    the import completes through cablectl's retries with every cable
#    exactly once, its content hash that of a clean parse
#  - the services' access logs show no status but OK, Unavailable,
#    NotFound (get of a cable not imported yet) and Canceled (import
#    streams the client gave up)
#  - finally pg_amcheck --heapallindexed --parent-check finds nothing, and
#    after a clean stop pg_checksums --check counts no bad block
# Knobs: FAULT_PG_CABLES (default 1000).
# Usage: fault_pg_restart_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$SRC/tests/e2e/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
ctl="$E2E_BIN/cablectl"
start_s=$(date +%s)
n=${FAULT_PG_CABLES:-1000}
fault_header "fault 2: PostgreSQL stopped -m immediate under an import and a search load"

pgdir="$e2e_tmp/pg"
fault_pg_start "$pgdir" url || { echo "private cluster did not start"; cat "$pgdir.log"; exit 1; }
echo "private cluster $url (data $(fault_pg_data "$pgdir"))"
check "private cluster has data checksums" test "$(e2e_sql "$url" 'SHOW data_checksums')" = on

csv="$e2e_tmp/cables.csv"
/usr/bin/python3 "$SRC/../shared/tools/synth-corpus" --count "$n" --seed 21 --out "$csv" || exit 1
fault_expected "$csv" "$e2e_tmp/expected.txt"

ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
search_sql="127.0.0.1:$(e2e_free_port)"
search_idx="127.0.0.1:$(e2e_free_port)"
fault_start cables-ingest "$ingest" "$url" || exit 1
pid_ingest=$e2e_last_pid
fault_start cables-metadata "$metadata" "$url" || exit 1
pid_metadata=$e2e_last_pid
fault_start cables-search "$search_sql" "$url" --search_index=false || exit 1
pid_search_sql=$e2e_last_pid
fault_start cables-search "$search_idx" "$url" --index_dir "$e2e_tmp/index" || exit 1
pid_search_idx=$e2e_last_pid
services=("$ingest" "$metadata" "$search_sql" "$search_idx")
pids=("$pid_ingest" "$pid_metadata" "$pid_search_sql" "$pid_search_idx")
all_alive() { local p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || return 1; done; }

# The search load: one call after the other until $e2e_tmp/stop exists;
# one line per call: START_MS END_MS TARGET CODE.
load() {
  local i=0 target out code t0 t1
  local ids
  ids=($(head -c 200000 "$e2e_tmp/expected.txt" | cut -d' ' -f1 | head -20))
  while [ ! -e "$e2e_tmp/stop" ]; do
    i=$((i + 1))
    for target in search_sql search_idx get list; do
      t0=$(fault_now_ms)
      case $target in
        search_sql) out=$(timeout 20 "$ctl" search --search "$search_sql" government 2>&1 >/dev/null) ;;
        search_idx) out=$(timeout 20 "$ctl" search --search "$search_idx" government 2>&1 >/dev/null) ;;
        get) out=$(timeout 20 "$ctl" get --metadata "$metadata" "${ids[$((i % ${#ids[@]}))]}" 2>&1 >/dev/null) ;;
        list) out=$(timeout 20 "$ctl" list --metadata "$metadata" --page_size 5 2>&1 >/dev/null) ;;
      esac
      case $? in
        0) code=OK ;;
        124) code=HANG ;;
        *) code=$(echo "$out" | head -1 | sed -E 's/^cablectl [a-z-]+: ([A-Z_]+): .*/\1/; t; s/.*/OTHER/') ;;
      esac
      t1=$(fault_now_ms)
      echo "$t0 $t1 $target $code"
      [ "$code" = OTHER ] && echo "# $out"
    done
  done
}
load > "$e2e_tmp/load.txt" 2>&1 &
loader=$!

import_t0=$(date +%s)
"$ctl" import --ingest "$ingest" --retries 60 --chunk_kb 32 --batch_size 50 "$csv" \
  > "$e2e_tmp/import.txt" 2>&1 &
importer=$!

# outage NAME: PostgreSQL down until every service says NOT_SERVING and
# the load has run for 3 s more, then up again; records the window.
outage() {
  local name=$1 t_down t_up status addr
  fault_pg_kill "$pgdir"
  t_down=$(fault_now_ms)  # pg_ctl waited: from here on it is down
  echo "$name: PostgreSQL stopped -m immediate"
  for addr in "${services[@]}"; do
    if fault_wait_health "$addr" NOT_SERVING 15; then
      echo "  $addr NOT_SERVING after $(( $(fault_now_ms) - t_down )) ms"
    else
      echo "  $addr: still $(fault_health "$addr") after 15 s"
      not_serving_missed=$((not_serving_missed + 1))
    fi
  done
  sleep 3

  check "$name: every service process alive while the database is down" all_alive
  local restarted t_restart
  t_restart=$(fault_now_ms)  # up to here it was down for sure
  restarted=$(fault_pg_restart "$pgdir")
  t_up=$(fault_now_ms)
  check "$name: restarted cluster keeps its port (same URL)" test "$restarted" = "$url"
  for addr in "${services[@]}"; do
    if fault_wait_health "$addr" SERVING 20; then
      echo "  $addr SERVING $(( $(fault_now_ms) - t_up )) ms after the restart"
    else
      echo "  $addr: still $(fault_health "$addr") 20 s after the restart"
      serving_missed=$((serving_missed + 1))
    fi
  done
  windows+=("$t_down $t_restart $(fault_now_ms)")
  echo "  down $(( t_restart - t_down )) ms, restart took $(( t_up - t_restart )) ms"
}
windows=()
not_serving_missed=0 serving_missed=0

fault_wait_count "$url" $((n / 3)) 300 "$importer" ||
  echo "import did not reach $((n / 3)) cables ($fault_count)"
outage "outage 1 (import + search load)"
check "outage 1: every service reported NOT_SERVING, then SERVING" \
  test "$not_serving_missed/$serving_missed" = "0/0"

wait "$importer"
import_status=$?
echo "import: $(( $(date +%s) - import_t0 )) s, $(grep '^created' "$e2e_tmp/import.txt"); $(grep -c 'stream broke' "$e2e_tmp/import.txt") broken streams retried"
sleep 1
outage "outage 2 (search load)"
check "outage 2: every service reported NOT_SERVING, then SERVING" \
  test "$not_serving_missed/$serving_missed" = "0/0"
sleep 2
touch "$e2e_tmp/stop"
wait "$loader"

# The calls, judged by when they ran: during an outage (started after
# pg_ctl stop returned, ended before the restart began), after it (started
# once every service was SERVING again), or around its edges (either
# outcome is fine).
/usr/bin/python3 - "$e2e_tmp/load.txt" "${windows[@]}" > "$e2e_tmp/judged.txt" <<'EOF'
import sys, collections
lines = [l.split() for l in open(sys.argv[1]) if l[0].isdigit()]
windows = [tuple(map(int, w.split())) for w in sys.argv[2:]]
counts = collections.Counter()
bad = []
for t0, t1, target, code in ((int(a), int(b), c, d) for a, b, c, d in lines):
    phase = "normal"
    for down, restart, serving in windows:
        if t0 >= down and t1 <= restart:
            phase = "outage"
        elif t0 < serving and t1 > down:
            phase = "edge"
    counts[(phase, target, code)] += 1
    if target == "get" and code == "NOT_FOUND":
        code = "OK"  # the database answered: that cable is not imported yet
    # Only SQL search must fail: the index answers without the database,
    # metadata may answer from its cache.
    needs_db = target == "search_sql"
    if code in ("HANG", "OTHER") or t1 - t0 > 10000:
        bad.append(f"{target} {code} {t1 - t0} ms ({phase})")
    elif phase == "outage" and code not in ("UNAVAILABLE", "OK"):
        bad.append(f"{target} {code} during an outage")
    elif phase == "outage" and needs_db and code == "OK":
        bad.append(f"{target} OK while the database was down")
    elif phase == "normal" and code != "OK":
        bad.append(f"{target} {code} outside any outage")
for key in sorted(counts):
    print("count", *key, counts[key])
for b in bad:
    print("bad", b)
EOF
grep '^count' "$e2e_tmp/judged.txt" | sed 's/^count /  /'
grep '^bad' "$e2e_tmp/judged.txt" | head -20 | sed 's/^/  /'
check "calls ran during the outages" test "$(awk '$2 == "outage" {s += $5} END {print s + 0}' <(grep '^count' "$e2e_tmp/judged.txt"))" -ge 4
check "SQL search during an outage: UNAVAILABLE" grep -q '^count outage search_sql UNAVAILABLE' "$e2e_tmp/judged.txt"
check "metadata during an outage: UNAVAILABLE" grep -q '^count outage get UNAVAILABLE' "$e2e_tmp/judged.txt"
check "no call hung, none failed with another code, all OK outside outages" \
  bash -c "! grep -q '^bad' '$e2e_tmp/judged.txt'"

check "import completed through its retries (exit 0)" test "$import_status" -eq 0
if [ "$import_status" -ne 0 ]; then
  echo "  cablectl import said:"; tail -3 "$e2e_tmp/import.txt" | cut -c1-300 | sed 's/^/    /'
  grep -q 'Connection lost while committing' "$e2e_tmp/import.txt" &&
    echo "  (the crash hit a COMMIT: the service answered UNKNOWN -- pqxx::in_doubt_error --" \
         "and cablectl does not retry UNKNOWN, although resending the batch is idempotent)"
fi
grep -h '"grpc_code":"\(Unknown\|Internal\)"' "$e2e_tmp"/cables-*.log | cut -c1-400 | head -5 | sed 's/^/  unexpected: /'
check "every cable exactly once, one version each" test "$(e2e_sql "$url" \
  'SELECT count(*) || '"'"'/'"'"' || (SELECT count(*) FROM cable_versions) || '"'"'/'"'"' || max(current_version) FROM cables')" = "$n/$n/1"
fault_db_hashes "$url" "$e2e_tmp/stored.txt"
check "(canonical_id, content hash) = clean parse's" diff "$e2e_tmp/expected.txt" "$e2e_tmp/stored.txt"
check "every service process still the one started (none died)" all_alive
codes=$(grep -ho '"grpc_code":"[A-Za-z]*"' "$e2e_tmp"/cables-*.log | sort | uniq -c | tr -s ' ' | tr '\n' ';')
echo "status codes in the access logs: $codes"
check "access logs: only OK, Unavailable, NotFound, Canceled" \
  bash -c "! grep -ho '\"grpc_code\":\"[A-Za-z]*\"' '$e2e_tmp'/cables-*.log | grep -qv -e '\"OK\"' -e '\"Unavailable\"' -e '\"Canceled\"' -e '\"NotFound\"'"

# Storage integrity after two crashes.
"$fault_pg_bin/pg_amcheck" --heapallindexed --parent-check --install-missing "$url" \
  > "$e2e_tmp/amcheck.txt" 2>&1
amcheck_status=$?
grep -v 'NOTICE:  extension "amcheck" already exists' "$e2e_tmp/amcheck.txt" | head -20
check "pg_amcheck --heapallindexed --parent-check: exit 0, nothing reported" \
  bash -c "[ $amcheck_status -eq 0 ] && ! grep -qv 'NOTICE:' '$e2e_tmp/amcheck.txt'"
for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; fault_forget "$p"; done
"$SRC/tools/embedded-pg" stop --dir "$pgdir" 2>/dev/null
as_owner=()
[ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
"${as_owner[@]}" "$fault_pg_bin/pg_checksums" --check -D "$(fault_pg_data "$pgdir")" > "$e2e_tmp/checksums.txt" 2>&1
checksums_status=$?
grep -E 'Bad checksums|Blocks scanned' "$e2e_tmp/checksums.txt" | sed 's/^/  /'
check "pg_checksums --check after a clean stop: no bad block" \
  bash -c "[ $checksums_status -eq 0 ] && grep -q 'Bad checksums: *0$' '$e2e_tmp/checksums.txt'"
echo "total: $(( $(date +%s) - start_s )) s"
e2e_finish

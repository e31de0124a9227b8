#!/usr/bin/env bash
# Fault 1 (issue #8): cables-ingest SIGKILLed at 10 random points of a
# cables.csv import, restarted each time, and the import resumed.
#  - the kill points are random (a random count of stored cables, then a
#    random delay of 0-500 ms, so kills land before, during and right after
#    COMMITs); they are printed with the seed (FAULT_SEED=S reproduces a run)
#  - kills 1, 4, 7 and 10: only the service dies; the running `cablectl
#    import --retries` reconnects and resends what was not acknowledged
#  - the other six: cablectl is SIGKILLed too (client and server die at
#    once); a new `cablectl import --state FILE` resumes from the
#    acknowledged position recorded in FILE
#    (fewer of the first kind because each costs ~10 s: cablectl's backoff
#    and gRPC's reconnect backoff outlast the service's restart)
#  - afterwards: count(cables) = N, every cable has exactly one version,
#    the (canonical_id, content_sha256) set equals that of a clean parse of
#    the CSV (cablectl parse, no database) AND that of a clean import of
#    the same CSV into a second, fresh database (run alongside, through its
#    own cables-ingest); per cable, the stored
#    versions, hashes, header/body/serialized cable and the counts of
#    paragraphs, tags, references and recipients equal the clean import's
#    (nothing lost, nothing stored twice, no half-written cable)
#  - a last run with the state file sends nothing (all acknowledged)
# Knobs: FAULT_CABLES (default 1000), FAULT_LONG=1 (50,000 cables, the
# server's default batches and chunks; see bench/results/fault-sigkill-*),
# FAULT_SEED (default: from the clock).
# Usage: fault_sigkill_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$SRC/tests/e2e/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
ctl="$E2E_BIN/cablectl"
start_s=$(date +%s)

long=${FAULT_LONG:-0}
if [ "$long" = 1 ]; then
  n=${FAULT_CABLES:-50000}
  import_flags=()              # cablectl's 1 MiB chunks, the server's batches
  stall_s=900
else
  n=${FAULT_CABLES:-1000}
  import_flags=(--chunk_kb 32 --batch_size 50)  # ~50 cables per COMMIT
  stall_s=240
fi
kills=10
seed=${FAULT_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
fault_header "fault 1: SIGKILL cables-ingest $kills times during a $n-cable import"
echo "seed $seed (FAULT_SEED=$seed reproduces the kill points); import flags: ${import_flags[*]:-(defaults)}"

csv="$e2e_tmp/cables.csv"
/usr/bin/python3 "$SRC/../shared/tools/synth-corpus" --count "$n" --seed "$seed" --out "$csv" || exit 1
fault_expected "$csv" "$e2e_tmp/expected.txt"
check "clean parse: $n distinct cables" test "$(cut -d' ' -f1 "$e2e_tmp/expected.txt" | sort -u | wc -l)" = "$n"

# The reference: a clean import of the same CSV into a fresh database, run
# alongside (the faulty import idles while the service restarts).
fault_new_database sigkill_clean url_clean || exit 1
addr_clean="127.0.0.1:$(e2e_free_port)"
fault_start cables-ingest "$addr_clean" "$url_clean" || exit 1
clean_t0=$(date +%s)
( "$ctl" import --ingest "$addr_clean" "${import_flags[@]}" "$csv" > "$e2e_tmp/clean.txt" 2>&1
  status=$?; echo "$(date +%s)" > "$e2e_tmp/clean.end"; exit $status ) &
clean_importer=$!

fault_new_database sigkill url || exit 1
fault_sql_open "$url"
addr="127.0.0.1:$(e2e_free_port)"
fault_start cables-ingest "$addr" "$url" || exit 1
ingest_pid=$e2e_last_pid
state="$e2e_tmp/import.state"
importers=0
start_importer() {
  importers=$((importers + 1))
  "$ctl" import --ingest "$addr" --retries 60 --state "$state" "${import_flags[@]}" \
    "$csv" > "$e2e_tmp/import.$importers.txt" 2>&1 &
  importer=$!
}

# Ten random thresholds (stored cables) between 2% and 85% of N, ascending.
thresholds=()
for _ in $(seq 1 "$kills"); do
  thresholds+=($(( n / 50 + (RANDOM * 32768 + RANDOM) % (n * 83 / 100) )))
done
mapfile -t thresholds < <(printf '%s\n' "${thresholds[@]}" | sort -n)
echo "kill thresholds (stored cables): ${thresholds[*]}"

import_t0=$(date +%s)
start_importer
kills_done=0
for i in $(seq 1 "$kills"); do
  threshold=${thresholds[$((i - 1))]}
  if ! fault_wait_count "$url" "$threshold" "$stall_s" "$importer"; then
    echo "kill $i: importer ended or stalled at $fault_count cables before threshold $threshold"
    tail -5 "$e2e_tmp/import.$importers.txt"
    break
  fi
  delay_ms=$((RANDOM % 500))
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "$ingest_pid"
  wait "$ingest_pid" 2>/dev/null
  fault_forget "$ingest_pid"
  at=$(e2e_sql "$url" 'SELECT count(*) FROM cables')
  if [ $((i % 3)) -ne 1 ]; then
    kill -9 "$importer" 2>/dev/null
    wait "$importer" 2>/dev/null
    how="cablectl killed too, resumed from --state"
  else
    how="cablectl kept running (reconnects, resends)"
  fi
  echo "kill $i/$kills: threshold $threshold, +${delay_ms} ms, $at cables stored at the kill; $how"
  kills_done=$((kills_done + 1))
  fault_start cables-ingest "$addr" "$url" || exit 1
  ingest_pid=$e2e_last_pid
  [ $((i % 3)) -ne 1 ] && start_importer
done
wait "$importer"
import_status=$?
import_s=$(( $(date +%s) - import_t0 ))
echo "import with $kills_done kills: ${import_s} s; last cablectl: $(grep "^created" "$e2e_tmp/import.$importers.txt")"
grep -h 'stream broke' "$e2e_tmp"/import.*.txt | sed 's/ (.*)//' | sort | uniq -c | sed 's/^/  /'
check "$kills kills done, each at a random point during the import" test "$kills_done" -eq "$kills"
check "import completed after the kills (last cablectl exit 0)" test "$import_status" -eq 0
check "count(cables) = $n" test "$(e2e_sql "$url" 'SELECT count(*) FROM cables')" = "$n"
check "exactly one version per cable" test "$(e2e_sql "$url" \
  'SELECT count(*) || '"'"'/'"'"' || count(DISTINCT canonical_id) || '"'"'/'"'"' || max(version) FROM cable_versions')" = "$n/$n/1"
check "current_version = 1 everywhere" test "$(e2e_sql "$url" 'SELECT count(*) FROM cables WHERE current_version <> 1')" = 0
check "no orphan child rows" test "$(e2e_sql "$url" \
  'SELECT (SELECT count(*) FROM cable_paragraphs p WHERE NOT EXISTS (SELECT 1 FROM cable_versions v WHERE v.canonical_id = p.canonical_id AND v.version = p.version))
        + (SELECT count(*) FROM cable_tags t WHERE NOT EXISTS (SELECT 1 FROM cables c WHERE c.canonical_id = t.canonical_id))')" = 0
fault_db_hashes "$url" "$e2e_tmp/stored.txt"
check "(canonical_id, content hash) = clean parse's" diff "$e2e_tmp/expected.txt" "$e2e_tmp/stored.txt"
check "cables.content_sha256 = clean parse's" diff "$e2e_tmp/expected.txt" \
  <(psql "$url" -qAtF' ' -c 'SELECT canonical_id, content_sha256 FROM cables' | sort)
check "resume with --state: nothing left to send" bash -c "'$ctl' import --ingest $addr --state '$state' ${import_flags[*]} '$csv' | grep -q 'created 0, new version 0, unchanged 0, rejected 0'"

wait "$clean_importer"
clean_status=$?
clean_end=$(cat "$e2e_tmp/clean.end" 2>/dev/null || date +%s)
check "clean import" test "$clean_status" -eq 0
echo "clean import (alongside): $(( clean_end - clean_t0 )) s; $(grep '^created' "$e2e_tmp/clean.txt")"
fault_db_hashes "$url_clean" "$e2e_tmp/clean-hashes.txt"
check "(canonical_id, content hash) = clean import's" diff "$e2e_tmp/clean-hashes.txt" "$e2e_tmp/stored.txt"
fault_db_digest "$url" "$e2e_tmp/digest.txt"
fault_db_digest "$url_clean" "$e2e_tmp/clean-digest.txt"
check "per cable: versions, text, child rows = clean import's" diff "$e2e_tmp/clean-digest.txt" "$e2e_tmp/digest.txt"
echo "total: $(( $(date +%s) - start_s )) s"
e2e_finish

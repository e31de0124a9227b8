#!/usr/bin/env bash
# End to end: the real cables-ingest binary, real cablectl, a real database.
#  - the 1,295 real cables imported twice (second run: all UNCHANGED)
#  - a changed cable becomes version 2
#  - a corrupt file among good ones is rejected with its name, the rest land
#  - cables-ingest SIGKILLed in the middle of a 20,000-cable import,
#    restarted; the import completes and every cable is stored exactly once
# Usage: ingest_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$(dirname "$0")/lib.sh"
corpus="$SRC/../shared/corpus/wikileaks-html"
ctl="$E2E_BIN/cablectl"

url=$(e2e_new_database ingest) || exit 1
port=$(e2e_free_port)
addr="127.0.0.1:$port"
e2e_start cables-ingest "$addr" "$url" || exit 1
total=$(find "$corpus" -name '*.html' | wc -l)

check "first import: all created" bash -c "'$ctl' import --ingest $addr '$corpus' > '$e2e_tmp/first.txt' && grep -q 'created $total, new version 0, unchanged 0, rejected 0' '$e2e_tmp/first.txt'"
check "every cable stored once" test "$(e2e_sql "$url" 'SELECT count(*) FROM cables')" = "$total"
check "second import: all unchanged" bash -c "'$ctl' import --ingest $addr '$corpus' > '$e2e_tmp/second.txt' && grep -q 'created 0, new version 0, unchanged $total, rejected 0' '$e2e_tmp/second.txt'"
check "no new versions" test "$(e2e_sql "$url" 'SELECT count(*) FROM cable_versions')" = "$total"

# A changed cable becomes version 2.
mkdir -p "$e2e_tmp/changed"
sed 's/HOLMSTROM<\/pre>/HOLMSTROM (corrected text)<\/pre>/' "$corpus/2008/06/08DAMASCUS427.html" > "$e2e_tmp/changed/08DAMASCUS427.html"
check "changed cable: new version" bash -c "'$ctl' import --ingest $addr '$e2e_tmp/changed' | grep -q 'new version 1'"
check "version 2 stored" test "$(e2e_sql "$url" "SELECT max(version) FROM cable_versions WHERE canonical_id = '08DAMASCUS427'")" = "2"

# A corrupt file among good ones.
mkdir -p "$e2e_tmp/mixed"
find "$corpus/2009" -name '*.html' | head -5 | xargs -I{} cp {} "$e2e_tmp/mixed/"
head -c 3000 /dev/urandom > "$e2e_tmp/mixed/broken.html"
printf '' > "$e2e_tmp/mixed/empty.txt"
"$ctl" import --ingest "$addr" "$e2e_tmp/mixed" > "$e2e_tmp/mixed.txt" 2>&1
status=$?
check "corrupt files: non-zero exit" test "$status" -ne 0
check "corrupt files: named with a reason" bash -c "grep -q 'rejected: .*broken.html: ' '$e2e_tmp/mixed.txt' && grep -q 'rejected: .*empty.txt: ' '$e2e_tmp/mixed.txt'"
check "corrupt files: the rest counted" grep -q 'unchanged 5, rejected 2' "$e2e_tmp/mixed.txt"

# SIGKILL in the middle of a 20,000-cable import.
url2=$(e2e_new_database kill) || exit 1
port2=$(e2e_free_port)
addr2="127.0.0.1:$port2"
/usr/bin/python3 "$SRC/../shared/tools/synth-corpus" --count 20000 --seed 7 --out "$e2e_tmp/20k.csv"
e2e_start cables-ingest "$addr2" "$url2" || exit 1
pid=$e2e_last_pid
"$ctl" import --ingest "$addr2" --retries 60 --state "$e2e_tmp/state" "$e2e_tmp/20k.csv" > "$e2e_tmp/kill.txt" 2>&1 &
importer=$!
for _ in $(seq 1 600); do
  n=$(e2e_sql "$url2" 'SELECT count(*) FROM cables')
  [ "$n" -ge 3000 ] && break
  sleep 0.1
done
kill -9 "$pid"
echo "killed cables-ingest after $n cables"
sleep 1
e2e_start cables-ingest "$addr2" "$url2" || exit 1
wait "$importer"
check "import completed after the kill" test $? -eq 0
check "every cable exactly once" test "$(e2e_sql "$url2" 'SELECT count(*) FROM cables')" = 20000
check "one version each" test "$(e2e_sql "$url2" 'SELECT count(*) FROM cable_versions')" = 20000
check "no cable with two versions" test "$(e2e_sql "$url2" 'SELECT count(*) FROM cables WHERE current_version <> 1')" = 0
# Resume from the state file: nothing is re-sent, nothing changes.
check "resume with --state skips acknowledged work" bash -c "'$ctl' import --ingest $addr2 --state '$e2e_tmp/state' '$e2e_tmp/20k.csv' | grep -q 'created 0, new version 0, unchanged 0, rejected 0'"

e2e_finish

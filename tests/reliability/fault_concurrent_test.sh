#!/usr/bin/env bash
# Fault 4 (issue #8): racing writers.
#  - eight `cablectl import` processes at once against one cables-ingest,
#    over overlapping slices of one cables.csv: each slice shares half its
#    rows with each neighbour, interleaved so that both neighbours send a
#    shared row in the same step (batches of ~20 cables race on the same
#    ids); importers 1 and 8 also send the same real HTML cables
#    (../shared/corpus/wikileaks-html), importers 4 and 5 the same changed
#    copies of some of them (a second content for those ids)
#  - afterwards: one row per canonical id, exactly one version per distinct
#    content ((canonical_id, content_sha256) set = that of a clean parse of
#    all inputs), versions numbered 1..k without gaps, current_version =
#    the highest, cables.content_sha256 = that version's; every importer
#    exited 0 (conflicts are retried or absorbed, never reported)
#  - two `cables-migrate` at once on a fresh empty database: both exit 0,
#    schema_migrations holds each migration exactly once, the schema is
#    complete, a third run applies nothing
# Knobs: FAULT_CONCURRENT_CABLES (default 900: slices of 200 rows).
# Usage: fault_concurrent_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$SRC/tests/e2e/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
ctl="$E2E_BIN/cablectl"
corpus="$SRC/../shared/corpus/wikileaks-html"
start_s=$(date +%s)
m=${FAULT_CONCURRENT_CABLES:-900}
importers=8
fault_header "fault 4: $importers concurrent importers of overlapping cable sets; two migrations at once"

# The slices: rows [k*m/9, k*m/9 + 2m/9) for k = 0..7, cut as raw records
# (a newline outside double quotes ends one; inside quotes a backslash
# escapes the next byte) and interleaved so that neighbours send their
# shared rows at the same time; re-parsed with cablectl to check the count.
csv="$e2e_tmp/cables.csv"
/usr/bin/python3 "$SRC/../shared/tools/synth-corpus" --count "$m" --seed 44 --out "$csv" || exit 1
/usr/bin/python3 - "$csv" "$m" "$importers" "$e2e_tmp" <<'EOF' || exit 1
import sys
path, m, k, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
data = open(path, "rb").read()
# Split into records: a record ends at a newline outside quotes; inside
# quotes a backslash escapes the next byte.
records, start, quoted, i = [], 0, False, 0
while i < len(data):
    c = data[i]
    if quoted:
        if c == 0x5C:
            i += 1
        elif c == 0x22:
            quoted = False
    elif c == 0x22:
        quoted = True
    elif c == 0x0A:
        records.append(data[start:i + 1])
        start = i + 1
    i += 1
if start < len(data):
    records.append(data[start:])
assert len(records) == m, (len(records), m)
step = m // (k + 1)
for j in range(k):
    # Interleaved, first half / second half: importer j sends row r of the
    # half it shares with importer j+1 right when j+1 sends it too.
    first = records[j * step: (j + 1) * step]
    second = records[(j + 1) * step: (j + 2) * step]
    with open(f"{out}/slice{j + 1}.csv", "wb") as f:
        for a, b in zip(first, second):
            f.write(b)
            f.write(a)
EOF
mkdir -p "$e2e_tmp/html" "$e2e_tmp/changed"
find "$corpus" -name '*.html' | sort | awk 'NR % 60 == 1' | head -20 | xargs -I{} cp {} "$e2e_tmp/html/"
for f in $(ls "$e2e_tmp/html" | head -6); do
  sed '0,/<\/pre>/s/<\/pre>/\nCORRECTED COPY (fault suite).<\/pre>/' "$e2e_tmp/html/$f" > "$e2e_tmp/changed/$f"
done
fault_expected "$csv" "$e2e_tmp/html" "$e2e_tmp/changed" "$e2e_tmp/expected.txt"
distinct_ids=$(cut -d' ' -f1 "$e2e_tmp/expected.txt" | sort -u | wc -l)
distinct_contents=$(wc -l < "$e2e_tmp/expected.txt")
echo "inputs: $m CSV rows in $importers slices of $((2 * m / (importers + 1))) rows, $(ls "$e2e_tmp/html" | wc -l) HTML cables (x2), $(ls "$e2e_tmp/changed" | wc -l) changed copies (x2): $distinct_ids ids, $distinct_contents distinct contents"
check "the changed copies are different contents" test "$distinct_contents" -eq $((distinct_ids + $(ls "$e2e_tmp/changed" | wc -l)))
slice_rows=0
for j in $(seq 1 "$importers"); do
  slice_rows=$((slice_rows + $("$ctl" parse "$e2e_tmp/slice$j.csv" | wc -l)))
done
check "slices parse to $((importers * 2 * (m / (importers + 1)))) rows, covering all $m" \
  test "$slice_rows" -eq $((importers * 2 * (m / (importers + 1))))

fault_new_database concurrent url || exit 1
addr="127.0.0.1:$(e2e_free_port)"
fault_start cables-ingest "$addr" "$url" || exit 1
t0=$(date +%s)
import_pids=()
for j in $(seq 1 "$importers"); do
  extra=()
  case $j in
    1|8) extra=("$e2e_tmp/html") ;;
    4|5) extra=("$e2e_tmp/changed") ;;
  esac
  "$ctl" import --ingest "$addr" --retries 60 --chunk_kb 16 --batch_size 20 \
    "$e2e_tmp/slice$j.csv" "${extra[@]}" > "$e2e_tmp/import$j.txt" 2>&1 &
  import_pids+=($!)
done
failed_importers=0
for j in $(seq 1 "$importers"); do
  wait "${import_pids[$((j - 1))]}" || { failed_importers=$((failed_importers + 1)); echo "importer $j failed:"; tail -5 "$e2e_tmp/import$j.txt"; }
done
echo "$importers importers: $(( $(date +%s) - t0 )) s; $(cat "$e2e_tmp"/import*.txt | grep -c 'stream broke') broken streams retried;" \
     "access log codes: $(grep -ho '"grpc_code":"[A-Za-z]*"' "$e2e_tmp/cables-ingest.log" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
for j in $(seq 1 "$importers"); do echo "  importer $j: $(grep '^created' "$e2e_tmp/import$j.txt")"; done
check "every importer exited 0" test "$failed_importers" -eq 0
check "one row per canonical id ($distinct_ids)" test "$(e2e_sql "$url" 'SELECT count(*) || '"'"'/'"'"' || count(DISTINCT canonical_id) FROM cables')" = "$distinct_ids/$distinct_ids"
check "one version per distinct content ($distinct_contents)" test "$(e2e_sql "$url" 'SELECT count(*) FROM cable_versions')" = "$distinct_contents"
fault_db_hashes "$url" "$e2e_tmp/stored.txt"
check "(canonical_id, content hash) = clean parse's" diff "$e2e_tmp/expected.txt" "$e2e_tmp/stored.txt"
check "versions numbered 1..k, current_version = k, current hash = version k's" test "$(e2e_sql "$url" "
  SELECT count(*) FROM cables c
  JOIN (SELECT canonical_id, count(*) AS k, max(version) AS top, min(version) AS bottom
        FROM cable_versions GROUP BY canonical_id) v USING (canonical_id)
  JOIN cable_versions cur ON cur.canonical_id = c.canonical_id AND cur.version = c.current_version
  WHERE v.k <> v.top OR v.bottom <> 1 OR c.current_version <> v.top
     OR cur.content_sha256 <> c.content_sha256")" = 0
check "outcomes add up: created = ids, created + new version = contents" bash -c "
  cat '$e2e_tmp'/import*.txt | grep '^created' | tr -d ',' |
    awk '{c += \$2; v += \$5} END {exit !(c == $distinct_ids && c + v == $distinct_contents)}'"

# Two migrations at once on an empty database.
db="e2e_migrate_race_$$"
cluster=$(e2e_cluster_url)
psql "$cluster" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
psql "$cluster" -qAtc "CREATE DATABASE $db" >/dev/null
e2e_dbs+=("$db")
url_m=$(/usr/bin/python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$cluster" "$db")
migrations=$(ls "$SRC"/storage/migrations/*.sql | wc -l)
"$E2E_BIN/cables-migrate" --database "$url_m" > "$e2e_tmp/migrate1.txt" 2>&1 &
m1=$!
"$E2E_BIN/cables-migrate" --database "$url_m" > "$e2e_tmp/migrate2.txt" 2>&1 &
m2=$!
wait "$m1"; s1=$?
wait "$m2"; s2=$?
echo "migrate 1 (exit $s1): $(grep -c applied "$e2e_tmp/migrate1.txt") applied; migrate 2 (exit $s2): $(grep -c applied "$e2e_tmp/migrate2.txt") applied"
check "two migrations at once: both exit 0" test "$s1/$s2" = "0/0"
check "schema_migrations: each of the $migrations migrations exactly once" test "$(e2e_sql "$url_m" \
  'SELECT count(*) || '"'"'/'"'"' || count(DISTINCT version) FROM schema_migrations')" = "$migrations/$migrations"
check "migrations applied once between the two runs" test "$(cat "$e2e_tmp"/migrate[12].txt | grep -c 'applied [0-9]')" = "$migrations"
check "schema complete (cables, cable_versions, cable_events exist)" test "$(e2e_sql "$url_m" \
  "SELECT to_regclass('cables') IS NOT NULL AND to_regclass('cable_versions') IS NOT NULL AND to_regclass('cable_events') IS NOT NULL")" = t
"$E2E_BIN/cables-migrate" --database "$url_m" > "$e2e_tmp/migrate3.txt" 2>&1
check "a third run: exit 0, applies nothing" bash -c "[ $? -eq 0 ] && ! grep -q 'applied [0-9]' '$e2e_tmp/migrate3.txt'"
echo "total: $(( $(date +%s) - start_s )) s"
e2e_finish

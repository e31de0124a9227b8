#!/usr/bin/env bash
# End to end: the real cables-ingest and cables-metadata binaries, real
# cablectl, a real database holding the 1,295 real cables and the
# cable-browser seed page. Every metadata subcommand is run the way a reader
# would run it, and its answers are checked against the files and against
# SQL run straight on the database:
#  - get: the seed page printed as the cable browser shows it; every cable
#    by its id in one call; other forms of an id; errors
#  - list: every cable once over all pages; a filter against SQL
#  - browse: tag, origin, classification and year counts against SQL
#  - refs / cited-by: a citing pair among the real cables, absent cables
#  - versions / diff: a changed cable re-imported
#  - export: jsonl and csv files, filtered and whole
# Usage: metadata_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$(dirname "$0")/lib.sh"
shared="$SRC/../shared"
corpus="$shared/corpus/wikileaks-html"
seed="$shared/seed/05ALMATY1595.txt"
ctl="$E2E_BIN/cablectl"
py=/usr/bin/python3

url=$(e2e_new_database metadata) || exit 1
ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
e2e_start cables-ingest "$ingest" "$url" || exit 1
e2e_start cables-metadata "$metadata" "$url" || exit 1
export CABLES_INGEST_ADDR=$ingest CABLES_METADATA_ADDR=$metadata
sql() { e2e_sql "$url" "$1"; }

find "$corpus" -name '*.html' -printf '%f\n' | sed 's/\.html$//' | sort > "$e2e_tmp/ids.txt"
echo 05ALMATY1595 >> "$e2e_tmp/ids.txt"
total=$(wc -l < "$e2e_tmp/ids.txt")
"$ctl" import "$corpus" "$seed" > "$e2e_tmp/import.txt" 2>&1 || {
  echo "import failed"; tail -5 "$e2e_tmp/import.txt"; exit 1; }
check "imported every cable" test "$(sql 'SELECT count(*) FROM cables')" = "$total"

# --- get ---------------------------------------------------------------
# The cable-browser page minus the site's own lines (title, disclaimer,
# the link to Wikileaks) against `cablectl get` minus its version line.
tail -n +5 "$seed" | grep -v '^Wikileaks: View ' | sed -e '$a\' > "$e2e_tmp/seed.expected"
check "get prints the cable as the browser page does" bash -c \
  "'$ctl' get 05ALMATY1595 | grep -v '^Version: ' | diff '$e2e_tmp/seed.expected' -"
check "get: version line" bash -c "'$ctl' get 05ALMATY1595 | grep -qx 'Version: 1'"
check "get --json: original field names" bash -c \
  "'$ctl' get --json 05ALMATY1595 | grep -q '\"canonical_id\":\"05ALMATY1595\".*\"partial\":true'"
check "get: every cable by its id in one call" bash -c \
  "'$ctl' get --json \$(cat '$e2e_tmp/ids.txt') | $py -c '
import json, sys
got = sorted(json.loads(l)[\"canonical_id\"] for l in sys.stdin)
want = sorted(open(sys.argv[1]).read().split())
sys.exit(0 if got == want else \"got %d ids, want %d\" % (len(got), len(want)))
' '$e2e_tmp/ids.txt'"
for form in "05 almaty 1595" "cables/05almaty1595" "2005 Almaty 001595"; do
  check "get '$form'" bash -c "'$ctl' get --json '$form' | grep -q '\"name\":\"cables/05ALMATY1595\"'"
done
check "get: a missing cable is NOT_FOUND, named" bash -c \
  "! '$ctl' get 05ALMATY99999 2> '$e2e_tmp/e' && grep -q 'NOT_FOUND.*05ALMATY99999' '$e2e_tmp/e'"
check "get: not an id is INVALID_ARGUMENT" bash -c \
  "! '$ctl' get 'hello world' 2> '$e2e_tmp/e' && grep -q 'INVALID_ARGUMENT' '$e2e_tmp/e'"

# --- list --------------------------------------------------------------
check "list --all: every cable exactly once" bash -c \
  "'$ctl' list --all --json --page_size 97 | $py -c '
import json, sys
ids = [json.loads(l)[\"canonical_id\"] for l in sys.stdin]
want = sorted(open(sys.argv[1]).read().split())
sys.exit(0 if sorted(ids) == want and len(set(ids)) == len(ids) else \"%d listed\" % len(ids))
' '$e2e_tmp/ids.txt'"
filter='tags:"PGOV" AND created >= "2009-01-01" AND classification:"SECRET"'
want=$(sql "SELECT count(*) FROM cables WHERE 'PGOV' = ANY(tags) AND created >= '2009-01-01' AND classification LIKE 'SECRET%'")
check "list --filter agrees with SQL ($want)" bash -c \
  "test \$('$ctl' list --all --json --filter '$filter' | wc -l) -eq $want"
check "list: one line per cable, newest first" bash -c \
  "'$ctl' list --page_size 3 2>/dev/null | head -1 | grep -q \"^$(sql 'SELECT canonical_id FROM cables ORDER BY sort_date DESC, canonical_id DESC LIMIT 1') \""
# The printed next-page command, run as printed, keeps the order, the page
# size and the service address, and fetches the next page.
list_next_page() {
  "$ctl" list --page_size 3 --order_by 'created asc' 2> "$e2e_tmp/list.err" > /dev/null || return 1
  local cmd; cmd=$(sed -n 's/^next page: cablectl //p' "$e2e_tmp/list.err")
  echo "printed: $cmd"
  [[ "$cmd" == *"--order_by='created asc'"* && "$cmd" == *"--metadata='$metadata'"* ]] || return 1
  (unset CABLES_METADATA_ADDR; eval "\"\$ctl\" $cmd") 2>/dev/null | cut -d' ' -f1 > "$e2e_tmp/page2"
  "$ctl" list --page_size 6 --order_by 'created asc' 2>/dev/null | sed -n 4,6p | cut -d' ' -f1 |
    diff - "$e2e_tmp/page2"
}
check "list: the printed next-page command fetches the next page" list_next_page
check "list: a bad filter is INVALID_ARGUMENT, named" bash -c \
  "! '$ctl' list --filter 'colour = \"red\"' 2> '$e2e_tmp/e' && grep -q 'INVALID_ARGUMENT.*colour' '$e2e_tmp/e'"

# --- browse ------------------------------------------------------------
check "browse years: the total" bash -c \
  "'$ctl' browse years | grep -qE '^ *$total  cables in all\$'"
check "browse years: counts agree with SQL" bash -c \
  "diff <('$ctl' browse years | grep -v 'cables in all' | awk '{print \$2\"|\"\$1}') \
        <(psql '$url' -qAtc \"SELECT extract(year FROM created AT TIME ZONE 'UTC')::int, count(*) FROM cables WHERE created IS NOT NULL GROUP BY 1 ORDER BY 1\")"
top_tag=$(sql "SELECT t, count(*) FROM cables, unnest(tags) t GROUP BY t ORDER BY 2 DESC, 1 LIMIT 1")
check "browse tags: the commonest tag with its kind ($top_tag)" bash -c \
  "'$ctl' browse tags | head -1 | grep -qE '^ *${top_tag#*|}  ${top_tag%|*} +SUBJECT\$'"
top_origin=$(sql "SELECT origin || '|' || count(*) FROM cables GROUP BY origin ORDER BY count(*) DESC, origin LIMIT 1")
check "browse origins: the commonest origin ($top_origin)" bash -c \
  "'$ctl' browse origins | head -1 | grep -qE '^ *${top_origin#*|}  ${top_origin%|*}\$'"
check "browse classifications: counts agree with SQL" bash -c \
  "diff <('$ctl' browse classifications --json | $py -c '
import json, sys
for l in sys.stdin: d = json.loads(l); print(d[\"value\"] + \"|\" + d[\"count\"])' | sort) \
        <(psql '$url' -qAtc 'SELECT classification, count(*) FROM cables GROUP BY 1' | sort)"
check "browse under a filter" bash -c \
  "'$ctl' browse years --filter 'origin = \"Embassy Madrid\"' | grep -qE '^ *$(sql "SELECT count(*) FROM cables WHERE origin = 'Embassy Madrid'")  cables in all\$'"

# --- refs and cited-by ---------------------------------------------------
# The real cable cited by the most other real cables.
pair=$(sql "SELECT r.cited_id || ' ' || min(r.citing_id) || ' ' || count(DISTINCT r.citing_id)
            FROM cable_references r JOIN cables c ON c.canonical_id = r.cited_id
            WHERE r.citing_id <> r.cited_id GROUP BY r.cited_id
            ORDER BY count(DISTINCT r.citing_id) DESC, r.cited_id LIMIT 1")
read -r cited citing n <<< "$pair"
sql "SELECT to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '  ' || subject FROM cables WHERE canonical_id = '$cited'" > "$e2e_tmp/subject"
check "refs $citing: $cited with its date and subject" bash -c \
  "'$ctl' refs $citing | grep -F ' $cited ' | grep -qFf '$e2e_tmp/subject'"
check "refs: cables not in the archive are marked" bash -c \
  "'$ctl' refs 05ALMATY1595 > '$e2e_tmp/refs' && grep -qE '^A +05ALMATY1501 +\(not in the archive\)' '$e2e_tmp/refs' && grep -qE '^B +05ALMATY1559 ' '$e2e_tmp/refs'"
check "cited-by $cited: $n cables, $citing among them" bash -c \
  "'$ctl' cited-by $cited > '$e2e_tmp/cited' && grep -q ' $citing ' '$e2e_tmp/cited' && grep -qx '$n cables cite $cited' '$e2e_tmp/cited' && test \$(wc -l < '$e2e_tmp/cited') -eq $((n + 1))"
check "cited-by --limit 1" bash -c \
  "test \$('$ctl' cited-by --limit 1 --json $cited | wc -l) -eq 1"
check "cited-by a cable not in the archive" bash -c \
  "'$ctl' cited-by 05ALMATY1501 | grep -q '^[A-Z ]* *05ALMATY1595 '"
check "cited-by agrees with SQL for every cited real cable" bash -c "
  psql '$url' -qAtc \"SELECT r.cited_id, count(DISTINCT r.citing_id) FROM cable_references r
                      JOIN cables c ON c.canonical_id = r.cited_id GROUP BY 1\" |
  while IFS='|' read -r id count; do
    '$ctl' cited-by \$id | tail -1 | grep -qx \"\$count cables cite \$id\" || { echo \"\$id: want \$count\"; exit 1; }
  done"

# --- versions and diff ---------------------------------------------------
mkdir -p "$e2e_tmp/changed"
sed 's/HOLMSTROM<\/pre>/HOLMSTROM (corrected text)<\/pre>/' \
  "$corpus/2008/06/08DAMASCUS427.html" > "$e2e_tmp/changed/08DAMASCUS427.html"
check "a changed cable is imported as a new version" bash -c \
  "'$ctl' import '$e2e_tmp/changed' | grep -q 'new version 1'"
check "versions: two, the second current" bash -c \
  "'$ctl' versions 08DAMASCUS427 > '$e2e_tmp/v' && test \$(wc -l < '$e2e_tmp/v') -eq 2 && grep -qE '^ +1  ' '$e2e_tmp/v' && grep -qE '^ +2\* ' '$e2e_tmp/v'"
check "versions --json: content hashes differ" bash -c \
  "test \$('$ctl' versions --json 08DAMASCUS427 | grep -o '\"content_sha256\":\"[0-9a-f]*\"' | sort -u | wc -l) -eq 2"
check "diff 1 2: the changed line" bash -c \
  "'$ctl' diff 08DAMASCUS427 1 2 > '$e2e_tmp/d' && grep -q '^--- cables/08DAMASCUS427@1' '$e2e_tmp/d' && grep -q '^+.*HOLMSTROM (corrected text)' '$e2e_tmp/d' && grep -q '^-.*HOLMSTROM\$' '$e2e_tmp/d'"
check "get shows version 2, and v1 is unchanged" bash -c \
  "'$ctl' get 08DAMASCUS427 | grep -qx 'Version: 2'"
check "diff to a missing version is NOT_FOUND" bash -c \
  "! '$ctl' diff 08DAMASCUS427 1 9 2> '$e2e_tmp/e' && grep -q NOT_FOUND '$e2e_tmp/e'"

# --- export --------------------------------------------------------------
check "export --format jsonl: every cable" bash -c \
  "'$ctl' export --format jsonl --out '$e2e_tmp/all.jsonl' 2> '$e2e_tmp/e' && test \$(wc -l < '$e2e_tmp/all.jsonl') -eq $total && grep -q 'exported $total cables' '$e2e_tmp/e'"
pgov=$(sql "SELECT count(*) FROM cables WHERE 'PGOV' = ANY(tags)")
# The cables.csv layout (backslash escapes, as in the 2011 dump): eight
# fields a row, and it parses back into the same cables.
csv_rows_ok() {  # csv_rows_ok FILE COUNT
  "$py" - "$1" "$2" <<'PY'
import csv, sys
csv.field_size_limit(1 << 30)
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f, escapechar="\\", doublequote=False))
ids = {r[2] for r in rows}
ok = len(rows) == int(sys.argv[2]) and len(ids) == len(rows) and all(len(r) == 8 for r in rows)
sys.exit(0 if ok else "%d rows, want %s" % (len(rows), sys.argv[2]))
PY
}
csv_parses_back() {  # csv_parses_back FILE SQL_WHERE
  diff <("$ctl" parse "$1" | "$py" -c 'import json, sys
for line in sys.stdin: print(json.loads(line)["canonical_id"])' | LC_ALL=C sort) \
       <(sql "SELECT canonical_id FROM cables WHERE $2" | LC_ALL=C sort)
}
check "export --filter --format csv: the matching cables ($pgov)" bash -c \
  "'$ctl' export --filter 'tags:\"PGOV\"' --format csv --out '$e2e_tmp/pgov.csv' 2>/dev/null"
check "export csv: $pgov rows of eight fields" csv_rows_ok "$e2e_tmp/pgov.csv" "$pgov"
check "export csv parses back into the same cables" \
  csv_parses_back "$e2e_tmp/pgov.csv" "'PGOV' = ANY(tags)"
check "export: jsonl to stdout by default" bash -c \
  "test \$('$ctl' export --filter 'origin = \"Embassy Madrid\"' 2>/dev/null | grep -c '\"origin\":\"Embassy Madrid\"') -eq $(sql "SELECT count(*) FROM cables WHERE origin = 'Embassy Madrid'")"
check "export: a bad format is refused" bash -c "! '$ctl' export --format pdf 2>/dev/null"

e2e_finish

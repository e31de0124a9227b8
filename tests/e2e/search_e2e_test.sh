#!/usr/bin/env bash
# End to end: `cablectl search` against the real cables-ingest and
# cables-search binaries over a real database holding the 1,295 real cables
# and the cable-browser seed page, searched through the service's index:
#  - ranked results with subject, highlighted snippets and paragraph
#    numbers; colour only on a terminal; facet counts with --facets
#  - the printed next-page command, run as printed, gives the next page
#    (relevance and date order, other page sizes, the service address)
#  - a query that is a cable id finds it first; --json; syntax errors
# Usage: search_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$(dirname "$0")/lib.sh"
shared="$SRC/../shared"
corpus="$shared/corpus/wikileaks-html"
seed="$shared/seed/05ALMATY1595.txt"
ctl="$E2E_BIN/cablectl"
py=/usr/bin/python3

url=$(e2e_new_database search) || exit 1
ingest="127.0.0.1:$(e2e_free_port)"
search="127.0.0.1:$(e2e_free_port)"
http="127.0.0.1:$(e2e_free_port)"
e2e_start cables-ingest "$ingest" "$url" || exit 1
export CABLES_INGEST_ADDR=$ingest CABLES_SEARCH_ADDR=$search NO_COLOR=1
"$ctl" import "$corpus" "$seed" > "$e2e_tmp/import.txt" 2>&1 || {
  echo "import failed"; tail -5 "$e2e_tmp/import.txt"; exit 1; }
e2e_start cables-search "$search" "$url" --index_dir "$e2e_tmp/index" \
  --http-listen "$http" --result_cache_mb 0 || exit 1
# Searches go to the index once its first build is done.
for _ in $(seq 1 300); do
  curl -sf "http://$http/metrics" | grep -q '^cables_search_index_ready 1' && break
  sleep 0.5
done
check "the index is built" bash -c "curl -sf 'http://$http/metrics' | grep -q '^cables_search_index_ready 1'"

# --- results -------------------------------------------------------------
"$ctl" search nuclear > "$e2e_tmp/plain.txt" 2>&1
total=$("$ctl" search --json nuclear | "$py" -c 'import json,sys; print(json.load(sys.stdin)["total_size"])')
check "the first line is the total ($total)" bash -c \
  "head -1 '$e2e_tmp/plain.txt' | grep -qE '^(about )?$total cables match\$'"
check "results: id, date, origin, classification" bash -c \
  "grep -qE '^[0-9]{2}[A-Z]+[0-9]+  [0-9]{4}-[0-9]{2}-[0-9]{2}  .+  (UNCLASSIFIED|CONFIDENTIAL|SECRET)' '$e2e_tmp/plain.txt'"
check "snippets: paragraph numbers and marked words" bash -c \
  "grep -qE '^  ¶[0-9]+ .*\[\[[Nn]uclear' '$e2e_tmp/plain.txt'"
check "no colour when NO_COLOR is set" bash -c "! grep -q \$'\\033' '$e2e_tmp/plain.txt'"
check "colour on a terminal" bash -c \
  "env -u NO_COLOR script -qec \"'$ctl' search nuclear\" /dev/null | grep -q \$'\\033\\[1;33m'"
check "--facets: tags, origins, classifications, years" bash -c \
  "'$ctl' search --facets nuclear > '$e2e_tmp/facets.txt' &&
   for f in tags origins classifications years; do grep -qE \"^\$f: .+ \\([0-9]+\\)\" '$e2e_tmp/facets.txt' || exit 1; done"
check "a cable id in any form finds that cable first" bash -c \
  "'$ctl' search 05 ALMATY 1595 | sed -n 3p | grep -q '^05ALMATY1595 '"
check "--json: one object with the results" bash -c \
  "'$ctl' search --json embassy | '$py' -c 'import json,sys; d=json.load(sys.stdin); assert d[\"results\"][0][\"canonical_id\"]'"
check "a syntax error names its position, non-zero exit" bash -c \
  "! '$ctl' search '(nuclear' > /dev/null 2> '$e2e_tmp/err' && grep -q 'INVALID_ARGUMENT.*position' '$e2e_tmp/err'"

# --- pages ---------------------------------------------------------------
ids() { grep -oE '^[0-9]{2}[A-Z]+[0-9]+ ' | tr -d ' '; }
# next_page N QUERY FLAGS...: page 1 of N, then the printed command for
# page 2, against page 1 of 2N.
next_page() {
  local n=$1 query=$2; shift 2
  "$ctl" search --page_size "$n" "$@" "$query" > "$e2e_tmp/p1" || return 1
  local cmd; cmd=$(sed -n 's/^next page: cablectl //p' "$e2e_tmp/p1")
  echo "printed: $cmd"
  [ -n "$cmd" ] || return 1
  (unset CABLES_SEARCH_ADDR; eval "\"\$ctl\" $cmd") > "$e2e_tmp/p2" || return 1
  "$ctl" search --page_size $((2 * n)) "$@" "$query" | ids > "$e2e_tmp/want"
  cat "$e2e_tmp/p1" "$e2e_tmp/p2" | ids | diff "$e2e_tmp/want" - && [ "$(wc -l < "$e2e_tmp/want")" -gt "$n" ]
}
check "next page: relevance" next_page 4 government
check "next page: date order, with facets" next_page 4 government --order created --facets
# The real cable that the most real cables cite, by its spaced id: itself,
# then the cables that mention it; its first page of one holds it alone.
cited=$(e2e_sql "$url" "SELECT r.cited_id FROM cable_references r JOIN cables c ON c.canonical_id = r.cited_id
          WHERE r.citing_id <> r.cited_id GROUP BY r.cited_id
          ORDER BY count(DISTINCT r.citing_id) DESC, r.cited_id LIMIT 1")
spaced=$(echo "$cited" | sed -E 's/^([0-9]{2})([A-Z]+)([0-9]+)$/\1 \2 \3/')
check "next page: a cable id query ($spaced), pages of one" next_page 1 "$spaced"
id_query_cites() {
  "$ctl" search --page_size 50 "$spaced" | ids > "$e2e_tmp/idq" || return 1
  [ "$(head -1 "$e2e_tmp/idq")" = "$cited" ] || { echo "first: $(head -1 "$e2e_tmp/idq")"; return 1; }
  local c
  for c in $(e2e_sql "$url" "SELECT DISTINCT citing_id FROM cable_references WHERE cited_id = '$cited' AND citing_id <> cited_id"); do
    grep -qx "$c" "$e2e_tmp/idq" || { echo "missing $c"; return 1; }
  done
}
check "a cable id query: the cable, then every cable citing it" id_query_cites

e2e_finish

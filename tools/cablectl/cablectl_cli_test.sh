#!/usr/bin/env bash
# End-to-end checks of `cablectl parse` and `cablectl id` against the real
# binary and the real corpus. Usage: cablectl_cli_test.sh CABLECTL SOURCE_DIR
set -u
ctl=$1
src=$2
shared="$src/../shared"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

check() {  # check NAME COMMAND...: the command must succeed
  if "${@:2}" >"$tmp/out" 2>"$tmp/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1"; sed 's/^/  /' "$tmp/out" "$tmp/err" | head -20
  fi
}

# A real HTML page: one JSON line with the canonical id and original field names.
page="$shared/corpus/wikileaks-html/2008/06/08DAMASCUS427.html"
check "parse html" bash -c "'$ctl' parse '$page' > '$tmp/p.json'"
check "one line" test "$(wc -l < "$tmp/p.json")" -eq 1
check "canonical_id field" grep -q '"canonical_id":"08DAMASCUS427"' "$tmp/p.json"
check "reference_id field" grep -q '"reference_id":"08DAMASCUS427"' "$tmp/p.json"
check "origin field" grep -q '"origin":"Embassy Damascus"' "$tmp/p.json"
check "explicit format" bash -c "'$ctl' parse --format html - < '$page' | grep -q 08DAMASCUS427"

# The browser-page seed, auto-detected.
check "parse browser seed" bash -c "'$ctl' parse '$shared/seed/05ALMATY1595.txt' | grep -q '\"canonical_id\":\"05ALMATY1595\"'"

# A cables.csv chunk: one line per row.
/usr/bin/python3 "$shared/tools/synth-corpus" --count 25 --out "$tmp/c.csv"
check "parse csv" bash -c "test \$('$ctl' parse '$tmp/c.csv' | wc -l) -eq 25"

# A fragment with context.
printf 'REF: A) 08 STATE 12345, B) DAMASCUS 400\n' > "$tmp/frag.txt"
check "fragment with --id" bash -c "'$ctl' parse --id 08DAMASCUS427 '$tmp/frag.txt' | grep -q 08STATE12345"

# Bad input: non-zero exit and a message on stderr.
: > "$tmp/empty"
check "empty rejected" bash -c "! '$ctl' parse '$tmp/empty' 2> '$tmp/e' && grep -qi empty '$tmp/e'"
printf 'abc\0\1\2\3def' > "$tmp/bin"
check "binary rejected" bash -c "! '$ctl' parse '$tmp/bin' 2> '$tmp/e' && grep -qi binary '$tmp/e'"
check "missing file" bash -c "! '$ctl' parse '$tmp/nope' 2> '$tmp/e' && grep -q nope '$tmp/e'"
check "bad format name" bash -c "! '$ctl' parse --format pdf '$page' 2>/dev/null"

# Ids.
check "id canonical" bash -c "test \"\$('$ctl' id '05 ALMATY 1595' 05RIO123 09SECTION01OF03SANJOSE525)\" = \"\$(printf '05ALMATY1595\n05RIODEJANEIRO123\n09SANJOSE525')\""
check "id rejects junk" bash -c "! '$ctl' id 'hello world' 2>/dev/null"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

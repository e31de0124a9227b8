#!/usr/bin/env bash
# End to end, fixity and BagIt with the real binaries and cablectl:
#  - a bag directory of real cables (manifests made with sha512sum /
#    sha256sum, not by our code) is imported; the same bag as .tar.gz again
#  - `cablectl events` shows the ingestion, digests and validation
#  - `cablectl verify` passes, then a body byte is changed with SQL: verify
#    names the cable and version and exits non-zero
#  - a tampered bag and a bag with a symbolic link are refused with the
#    failing file named and nothing stored
# Usage: fixity_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$SRC/tests/e2e/lib.sh"
corpus="$SRC/../shared/corpus/wikileaks-html"
ctl="$E2E_BIN/cablectl"

url=$(e2e_new_database fixity) || exit 1
ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
e2e_start cables-ingest "$ingest" "$url" || exit 1
e2e_start cables-metadata "$metadata" "$url" || exit 1

# make_bag DIR FILES...: a BagIt 1.0 bag made with coreutils.
make_bag() {
  local dir=$1
  shift
  mkdir -p "$dir/data"
  cp "$@" "$dir/data/"
  (
    cd "$dir" || exit 1
    printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' > bagit.txt
    find data -type f | LC_ALL=C sort | xargs sha512sum > manifest-sha512.txt
    find data -type f | LC_ALL=C sort | xargs sha256sum > manifest-sha256.txt
    bytes=$(find data -type f -printf '%s\n' | awk '{s += $1} END {print s}')
    count=$(find data -type f | wc -l)
    printf 'Source-Organization: e2e\nPayload-Oxum: %s.%s\n' "$bytes" "$count" > bag-info.txt
    sha256sum bagit.txt bag-info.txt manifest-*.txt > tagmanifest-sha256.txt
  )
}

mapfile -t files < <(find "$corpus/2009" -name '*.html' | LC_ALL=C sort | head -10)
make_bag "$e2e_tmp/cables-2009" "${files[@]}"
fingerprint() {
  e2e_sql "$url" "SELECT md5(concat_ws('|', (SELECT string_agg(canonical_id || version || content_sha256, ',' ORDER BY 1) FROM cable_versions), (SELECT count(*) FROM cable_events)))"
}

check "bag directory imported" bash -c "'$ctl' import --ingest $ingest '$e2e_tmp/cables-2009' > '$e2e_tmp/bag.txt' && grep -q 'bag cables-2009: complete and valid (sha512), 10 payload files' '$e2e_tmp/bag.txt' && grep -q 'created 10, new version 0, unchanged 0' '$e2e_tmp/bag.txt'"
check "sources name the bag and path" test "$(e2e_sql "$url" "SELECT count(*) FROM cable_versions WHERE source LIKE 'cables-2009/data/%.html'")" = 10
check "every version has its SHA-512" test "$(e2e_sql "$url" 'SELECT count(*) FROM cable_versions WHERE content_sha512 IS NULL')" = 0
tar -C "$e2e_tmp/cables-2009" -czf "$e2e_tmp/cables-2009.tar.gz" .
check "same bag as .tar.gz: unchanged" bash -c "'$ctl' import --ingest $ingest '$e2e_tmp/cables-2009.tar.gz' | grep -q 'created 0, new version 0, unchanged 10'"

id=$(e2e_sql "$url" "SELECT canonical_id FROM cables ORDER BY canonical_id LIMIT 1 OFFSET 4")
"$ctl" events --metadata "$metadata" "$id" > "$e2e_tmp/events.txt" 2>&1
check "events: ingestion, digests, validation" bash -c "grep -q ' v1  ingestion  success  cables-ingest ' '$e2e_tmp/events.txt' && grep -q 'message digest calculation  success' '$e2e_tmp/events.txt' && grep -c 'validation  success' '$e2e_tmp/events.txt' | grep -qx 2"
check "events of an unknown cable: non-zero exit" bash -c "! '$ctl' events --metadata $metadata 99NOWHERE1 2>/dev/null"

check "verify: clean archive" bash -c "'$ctl' verify --ingest $ingest > '$e2e_tmp/verify.txt' && grep -q 'checked 10 of 10 versions: 0 mismatches' '$e2e_tmp/verify.txt'"
e2e_sql "$url" "UPDATE cable_versions SET body = overlay(body placing (CASE WHEN substr(body, 50, 1) = 'Q' THEN 'Z' ELSE 'Q' END) from 50 for 1) WHERE canonical_id = '$id'" >/dev/null
"$ctl" verify --ingest "$ingest" > "$e2e_tmp/verify2.txt" 2>&1
status=$?
check "verify: corrupted row exits non-zero" test "$status" -ne 0
check "verify: names the cable and version" grep -q "^MISMATCH $id v1 sha256: stored " "$e2e_tmp/verify2.txt"
check "verify: failure event recorded" bash -c "'$ctl' events --metadata $metadata --filter 'outcome = FAILURE' - | grep -q '$id v1  fixity check  FAILURE'"

# A tampered bag: one payload byte changed after the manifests were made.
cp -r "$e2e_tmp/cables-2009" "$e2e_tmp/tampered"
victim=$(basename "${files[3]}")
printf 'X' | dd of="$e2e_tmp/tampered/data/$victim" bs=1 seek=200 conv=notrunc 2>/dev/null
before=$(fingerprint)
"$ctl" import --ingest "$ingest" "$e2e_tmp/tampered" > "$e2e_tmp/tampered.txt" 2>&1
status=$?
check "tampered bag: non-zero exit" test "$status" -ne 0
check "tampered bag: failing file named" grep -q "data/$victim: sha512 checksum mismatch" "$e2e_tmp/tampered.txt"
check "tampered bag: nothing stored" test "$(fingerprint)" = "$before"

# A symbolic link in the payload.
cp -r "$e2e_tmp/cables-2009" "$e2e_tmp/linked"
ln -s /etc/passwd "$e2e_tmp/linked/data/passwd.html"
"$ctl" import --ingest "$ingest" "$e2e_tmp/linked" > "$e2e_tmp/linked.txt" 2>&1
status=$?
check "bag with a symlink: refused, file named" bash -c "test $status -ne 0 && grep -q 'data/passwd.html: is a symbolic link' '$e2e_tmp/linked.txt'"
check "bag with a symlink: nothing stored" test "$(fingerprint)" = "$before"

e2e_finish

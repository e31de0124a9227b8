#!/usr/bin/env bash
# Security, end to end: the three real service binaries with a tokens file
# on an empty database; auth_probe calls every method of every service
# with no token, an unknown token, a read token and a write token (see
# auth_probe.cc). Also: the tokens never appear in the services' logs.
# Usage: auth_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR PROBE
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3 PROBE=$4
. "$SRC/tests/e2e/lib.sh"

url=$(e2e_new_database auth) || exit 1
read_token=reader-$RANDOM$RANDOM$RANDOM
write_token=writer-$RANDOM$RANDOM$RANDOM
{
  echo "# test tokens"
  echo "$(printf %s "$read_token" | sha256sum | cut -d' ' -f1) read reader"
  echo "$(printf %s "$write_token" | sha256sum | cut -d' ' -f1) write writer"
} > "$e2e_tmp/tokens"
ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
search="127.0.0.1:$(e2e_free_port)"
e2e_start cables-ingest "$ingest" "$url" --auth_tokens_file "$e2e_tmp/tokens" || exit 1
e2e_start cables-metadata "$metadata" "$url" --auth_tokens_file "$e2e_tmp/tokens" || exit 1
e2e_start cables-search "$search" "$url" --auth_tokens_file "$e2e_tmp/tokens" \
  --index_dir "$e2e_tmp/index" || exit 1

"$PROBE" --ingest "$ingest" --metadata "$metadata" --search "$search" \
  --read_token "$read_token" --write_token "$write_token" > "$e2e_tmp/probe.txt" 2>&1
probe_status=$?
cat "$e2e_tmp/probe.txt"
check "every method of every service guarded" test "$probe_status" -eq 0
check "nothing stored by the probe" test "$(e2e_sql "$url" 'SELECT count(*) FROM cables')" = "0"
check "no token in the logs" bash -c "! grep -q -e '$read_token' -e '$write_token' '$e2e_tmp'/cables-*.log"
e2e_finish

#!/usr/bin/env bash
# Tests tools/embedded-pg: start, reuse (same URL), status/url, the
# loopback-only listener, migrations, stop, restart on the same port, purge.
# Usage: embedded_pg_test.sh PATH_TO_CABLES_MIGRATE
set -euo pipefail
script=$(cd "$(dirname "$0")/../.." && pwd)/tools/embedded-pg
migrate=$1
dir=$(mktemp -d /tmp/embedded-pg-test.XXXXXX)
trap '"$script" stop --dir "$dir" --purge >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

url=$("$script" start --dir "$dir" --migrate "$migrate" | tail -n1)
[[ $url =~ ^postgresql://postgres@127\.0\.0\.1:[0-9]+/cables$ ]] || fail "bad url '$url'"
[[ $(cat "$dir/database_url") == "$url" ]] || fail "database_url file differs"
[[ $(psql -XAtq "$url" -c "SELECT count(*) > 0 FROM schema_migrations") == t ]] ||
  fail "migrations not applied"
[[ $(psql -XAtq "$url" -c "SHOW listen_addresses") == 127.0.0.1 ]] || fail "not loopback-only"
[[ $(psql -XAtq "$url" -c "SHOW data_checksums") == on ]] || fail "no data checksums"

again=$("$script" start --dir "$dir" --migrate "$migrate" | tail -n1)
[[ $again == "$url" ]] || fail "second start gave '$again', not '$url'"
[[ $("$script" status --dir "$dir") == "running $url" ]] || fail "status"
[[ $("$script" url --dir "$dir") == "$url" ]] || fail "url"

"$script" stop --dir "$dir"
set +e
"$script" status --dir "$dir" >/dev/null; rc=$?
"$script" url --dir "$dir" >/dev/null 2>&1; rc2=$?
set -e
[[ $rc == 3 && $rc2 == 3 ]] || fail "stopped cluster: status rc=$rc url rc=$rc2"

restarted=$("$script" start --dir "$dir" --migrate "$migrate" | tail -n1)
[[ $restarted == "$url" ]] || fail "restart gave '$restarted', not '$url'"
"$script" stop --dir "$dir" --purge
[[ ! -e $dir/data ]] || fail "purge left the data folder"
echo "embedded-pg: all checks passed"

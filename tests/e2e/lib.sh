# Helpers for the end-to-end tests: a fresh database on the test cluster,
# free ports, and starting/stopping service binaries. Source it.
#   E2E_BIN   directory of the built binaries (build/*/bin)
#   E2E_BUILD the build directory (its pgtest/database_url names the cluster)

e2e_tmp=$(mktemp -d)
e2e_pids=()
e2e_dbs=()  # databases callers created themselves (also dropped on exit)
passed=0
failed=0

e2e_cleanup() {
  for pid in "${e2e_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  # e2e_new_database runs in $(...), so e2e_dbs never sees its names: drop
  # every database this script created by its name pattern.
  local db
  for db in "${e2e_dbs[@]}" $(psql "$(e2e_cluster_url)" -qAtc \
      "SELECT datname FROM pg_database WHERE datname LIKE 'e2e\_%\_$$'" 2>/dev/null); do
    psql "$(e2e_cluster_url)" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$e2e_tmp"
}
trap e2e_cleanup EXIT

e2e_cluster_url() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; else cat "$E2E_BUILD/pgtest/database_url"; fi
}

# e2e_new_database NAME: creates and migrates a database; prints its URL.
e2e_new_database() {
  local name="e2e_$1_$$" cluster
  cluster=$(e2e_cluster_url)
  psql "$cluster" -qAtc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null
  psql "$cluster" -qAtc "CREATE DATABASE $name" >/dev/null
  local url
  url=$(/usr/bin/python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$cluster" "$name")
  DATABASE_URL="$url" "$E2E_BIN/cables-migrate" >/dev/null
  echo "$url"
}

e2e_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# e2e_start BINARY ADDR URL [ARGS...]: starts a service, waits for SERVING;
# sets e2e_last_pid.
e2e_start() {
  local bin=$1 addr=$2 url=$3
  shift 3
  "$E2E_BIN/$bin" --listen "$addr" --database "$url" "$@" >>"$e2e_tmp/$bin.log" 2>&1 &
  e2e_last_pid=$!
  e2e_pids+=("$e2e_last_pid")
  "$E2E_BIN/cablectl" health --wait 30 "$addr" >/dev/null || {
    echo "service $bin did not become healthy"; tail -20 "$e2e_tmp/$bin.log"; return 1; }
}

check() {  # check NAME COMMAND...
  if "${@:2}" >"$e2e_tmp/check.out" 2>&1; then
    passed=$((passed + 1)); echo "ok: $1"
  else
    failed=$((failed + 1)); echo "FAIL: $1"; tail -20 "$e2e_tmp/check.out" | sed 's/^/  /'
  fi
}

e2e_finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

e2e_sql() {  # e2e_sql URL SQL: prints the single value
  psql "$1" -qAtc "$2"
}

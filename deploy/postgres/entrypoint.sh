#!/bin/bash
# cables-postgres-entrypoint: creates the cluster on first start, then runs
# the server in the foreground (PID 1, so podman/kubelet signals reach it).
#
# Environment (read on first start only, when $PGDATA is empty):
#   POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE   the superuser's password
#                        (required unless POSTGRES_HOST_AUTH_METHOD=trust)
#   POSTGRES_USER        superuser name (default postgres)
#   POSTGRES_DB          database to create (default cables)
#   POSTGRES_HOST_AUTH_METHOD   pg_hba method for TCP (default scram-sha-256)
# Arguments are passed to postgres (e.g. -c shared_buffers=512MB).
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-cables}
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
log() { echo "cables-postgres: $*" >&2; }

if [[ -n ${POSTGRES_PASSWORD_FILE:-} ]]; then
  POSTGRES_PASSWORD=$(<"$POSTGRES_PASSWORD_FILE")
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  if [[ -z ${POSTGRES_PASSWORD:-} && $auth != trust ]]; then
    log "the data folder is empty: set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to create the cluster"
    exit 2
  fi
  log "creating the cluster in $PGDATA (superuser $user, database $db)"
  initdb -D "$PGDATA" -U "$user" -E UTF8 --locale=C.UTF-8 --data-checksums \
    --auth-local=peer --auth-host="$auth" \
    --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-unused}") >/dev/null
  cat >>"$PGDATA/postgresql.conf" <<CONF

# --- cables-postgres ---
listen_addresses = '*'
unix_socket_directories = '/run/postgresql'
max_connections = 200
shared_buffers = 256MB
maintenance_work_mem = 256MB
max_wal_size = 2GB
logging_collector = off
jit = off
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  cat >"$PGDATA/pg_hba.conf" <<HBA
local all all peer
host  all all 0.0.0.0/0 $auth
host  all all ::/0      $auth
HBA
  # Single-user mode: no listening server while the database is created.
  echo "CREATE DATABASE \"$db\"" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  log "cluster ready"
fi
mkdir -p /run/postgresql 2>/dev/null || true
exec postgres -D "$PGDATA" "$@"

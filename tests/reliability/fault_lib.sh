# shellcheck shell=bash
# Helpers of the fault suite (issue #8), on top of tests/e2e/lib.sh (source
# that first: it provides e2e_tmp, e2e_start, check, e2e_sql, ...). Source it.
#   fault_header TITLE            date, machine and build, for logs/bench
#   fault_now_ms                  wall clock in milliseconds
#   fault_sql_open URL            one psql session (a coprocess) for fast
#                                 polling: a new psql costs 50-300 ms here
#   fault_sql SQL                 runs one single-row, single-column query
#                                 in it; the value lands in $fault_reply
#   fault_sql_close
#   fault_new_database NAME VAR   e2e_new_database into variable VAR, quiet
#                                 unless it fails, and registered for the
#                                 DROP on exit (e2e_new_database's own
#                                 e2e_dbs+= runs in the $(...) subshell and
#                                 is lost)
#   fault_expected CSV|DIR... OUT "canonical_id content_sha256" of every
#                                 cable a clean parse of the input gives,
#                                 sorted (cablectl parse: no database)
#   fault_db_hashes URL OUT       the same pairs from cable_versions
#   fault_db_digest URL OUT       per-cable digest of what is stored (ids,
#                                 versions, hashes, text, child-row counts),
#                                 comparable across databases
#   fault_start BINARY ADDR URL [ARGS...]
#                                 e2e_start, but polls health with a fresh
#                                 cablectl each time: one long-lived channel
#                                 (cablectl health --wait) may sit up to 2 s
#                                 in its reconnect backoff after a refused
#                                 connection; sets e2e_last_pid
#   fault_forget PID              drops a service that was killed and waited
#                                 for from lib.sh's kill list (its PID may
#                                 be reused by another process later)
#   fault_health ADDR             prints SERVING, NOT_SERVING or the error
#   fault_wait_health ADDR STATUS SECS
#                                 waits until fault_health prints STATUS
#   fault_wait_count URL N SECS [PID]
#                                 waits until count(cables) >= N; fails
#                                 after SECS or when PID (an importer) ends;
#                                 polls through the fault_sql session when
#                                 one is open (it must be on URL)
#   fault_pg_start DIR VAR        private cluster (tools/embedded-pg, data
#                                 checksums) with the schema; its URL into
#                                 variable VAR (not in a $(...) subshell, so
#                                 that the exit trap knows to purge it)
#   fault_pg_data DIR             its data folder
#   fault_pg_kill DIR             pg_ctl stop -m immediate (a crash: no
#                                 checkpoint, WAL replay on the next start)
#   fault_pg_restart DIR          starts it again (same port); prints URL
#   fault_pg_cleanup              stops and purges every private cluster
# Clusters started here are stopped and purged on exit (the EXIT trap set
# below replaces lib.sh's and calls e2e_cleanup itself). FAULT_KEEP=DIR
# copies the logs and outputs (*.log, *.txt) to DIR first.

fault_pg_dirs=()
fault_pg_bin=/usr/lib/postgresql/15/bin

fault_pg_cleanup() {
  local d
  for d in "${fault_pg_dirs[@]+"${fault_pg_dirs[@]}"}"; do
    "$SRC/tools/embedded-pg" stop --dir "$d" --purge >/dev/null 2>&1 || true
  done
}
fault_keep() {  # FAULT_KEEP=DIR: keep the logs and outputs for a post-mortem
  [ -n "${FAULT_KEEP:-}" ] || return 0
  mkdir -p "$FAULT_KEEP" &&
    find "$e2e_tmp" -maxdepth 1 -type f \( -name '*.log' -o -name '*.txt' \) \
      -exec cp {} "$FAULT_KEEP/" \; 2>/dev/null
}
trap 'fault_keep; fault_pg_cleanup; e2e_cleanup' EXIT

fault_header() {
  echo "== $1"
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: nproc=$(nproc); model name: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//');" \
       "memory $(awk '/^MemTotal:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo) GiB;" \
       "load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "binaries: $E2E_BIN ($(grep -m1 '^CMAKE_BUILD_TYPE:' "$E2E_BUILD/CMakeCache.txt" 2>/dev/null | cut -d= -f2 | sed 's/^$/default (-O0)/'))"
  echo "postgres: $("$fault_pg_bin/postgres" --version)"
}

fault_new_database() {
  local _fault_url  # not "url": printf -v would set the local
  if _fault_url=$(e2e_new_database "$1" 2>"$e2e_tmp/new_database.err"); then
    printf -v "$2" '%s' "$_fault_url"
    e2e_dbs+=("e2e_$1_$$")
  else
    cat "$e2e_tmp/new_database.err" >&2
    return 1
  fi
}

fault_now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $(( 10#$t / 1000 )); }

fault_sql_open() {
  coproc FAULT_PSQL { psql "$1" -qAtX 2>&1; }
}

fault_sql() {
  echo "$1;" >&"${FAULT_PSQL[1]}"
  read -r fault_reply <&"${FAULT_PSQL[0]}"
}

fault_sql_close() {
  echo '\q' >&"${FAULT_PSQL[1]}"
  wait "$FAULT_PSQL_PID" 2>/dev/null
}

fault_expected() {
  local out=${*: -1} f
  for f in $(find "${@:1:$#-1}" -type f | sort); do
    "$E2E_BIN/cablectl" parse "$f" || echo "fault_expected: cannot parse $f" >&2
  done |
    /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    print(c["canonical_id"], c["content_sha256"])' | sort -u > "$out"
}

fault_db_hashes() {
  psql "$1" -qAtF' ' -c 'SELECT canonical_id, content_sha256 FROM cable_versions' |
    sort > "$2"
}

fault_db_digest() {
  psql "$1" -qAtF' ' > "$2" <<'EOF'
SELECT c.canonical_id, c.current_version, c.content_sha256,
       md5(c.subject || c.origin || c.classification || array_to_string(c.tags, ',')),
       c.paragraph_count, c.reference_count,
       (SELECT string_agg(v.version || ':' || v.content_sha256 || ':' ||
                          md5(v.header) || ':' || md5(v.body) || ':' || md5(v.cable),
                          ',' ORDER BY v.version)
          FROM cable_versions v WHERE v.canonical_id = c.canonical_id),
       (SELECT count(*) FROM cable_paragraphs p WHERE p.canonical_id = c.canonical_id),
       (SELECT count(*) FROM cable_tags t WHERE t.canonical_id = c.canonical_id),
       (SELECT count(*) FROM cable_references r WHERE r.citing_id = c.canonical_id),
       (SELECT count(*) FROM cable_recipients r WHERE r.canonical_id = c.canonical_id)
FROM cables c ORDER BY c.canonical_id
EOF
}

fault_forget() {
  local kept=() p
  for p in "${e2e_pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  e2e_pids=("${kept[@]+"${kept[@]}"}")
}

fault_health() {
  local out
  if out=$("$E2E_BIN/cablectl" health "$1" 2>&1); then
    echo SERVING
  else
    echo "${out##*: }"
  fi
}

fault_wait_health() {
  local give_up=$(( $(fault_now_ms) + $3 * 1000 ))
  while [ "$(fault_now_ms)" -lt "$give_up" ]; do
    [ "$(fault_health "$1")" = "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

fault_start() {
  local bin=$1 addr=$2 url=$3
  shift 3
  "$E2E_BIN/$bin" --listen "$addr" --database "$url" "$@" >>"$e2e_tmp/$bin.log" 2>&1 &
  e2e_last_pid=$!
  e2e_pids+=("$e2e_last_pid")
  fault_wait_health "$addr" SERVING 30 || {
    echo "service $bin did not become healthy"; tail -20 "$e2e_tmp/$bin.log"; return 1; }
}

fault_wait_count() {
  local url=$1 want=$2 secs=$3 pid=${4:-} n=0
  local give_up=$(( $(date +%s) + secs ))
  while [ "$(date +%s)" -lt "$give_up" ]; do
    if [ -n "${FAULT_PSQL_PID:-}" ]; then  # the open session: cheap, 20 ms
      fault_sql 'SELECT count(*) FROM cables'
      n=$fault_reply
      sleep 0.02
    else  # a new psql each time: ~0.1 s of CPU, so every 0.2 s
      n=$(e2e_sql "$url" 'SELECT count(*) FROM cables' 2>/dev/null || echo 0)
      sleep 0.2
    fi
    fault_count=$n
    [ "$n" -ge "$want" ] && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
  done
  return 1
}

fault_pg_start() {
  fault_pg_dirs+=("$1")
  local _fault_url
  _fault_url=$("$SRC/tools/embedded-pg" start --dir "$1" \
    --migrate "$E2E_BIN/cables-migrate" 2>>"$1.log" | tail -1)
  printf -v "$2" '%s' "$_fault_url"
  [ -n "$_fault_url" ]
}

fault_pg_data() {
  if [ -f "$1/data_location" ]; then cat "$1/data_location"; else echo "$1/data"; fi
}

fault_pg_kill() {
  local as_owner=()
  [ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
  "${as_owner[@]}" "$fault_pg_bin/pg_ctl" -D "$(fault_pg_data "$1")" \
    stop -m immediate >/dev/null
}

fault_pg_restart() {
  "$SRC/tools/embedded-pg" start --dir "$1" --no-migrate 2>>"$1.log" | tail -1
}

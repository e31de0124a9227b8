#!/usr/bin/env bash
# Fault 6: a client's long-lived channel finds a service again soon after
# it comes back. `cablectl health --wait` (one channel, retrying every
# 200 ms) is started while nothing listens; the service starts 20 s later.
#  - the waiting client reports SERVING within 3.5 s of the service being
#    SERVING (MakeClientChannel caps gRPC's reconnect backoff at 2 s; with
#    gRPC's defaults -- 1 s growing x1.6 up to 120 s -- the channel could
#    sit idle up to ~10 s at this point)
# Usage: fault_reconnect_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$SRC/tests/e2e/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
fault_header "fault 6: a long-lived client channel reconnects after a restart"
down_s=${FAULT_RECONNECT_DOWN_S:-20}

url=$(e2e_new_database reconnect) || exit 1
addr="127.0.0.1:$(e2e_free_port)"
"$E2E_BIN/cablectl" health --wait $((down_s + 30)) "$addr" >"$e2e_tmp/waiter.out" 2>&1 &
waiter=$!
sleep "$down_s"
fault_start cables-metadata "$addr" "$url" || exit 1
up_ms=$(fault_now_ms)
wait "$waiter"
waiter_status=$?
lag_ms=$(( $(fault_now_ms) - up_ms ))
echo "service down ${down_s} s; the waiting client saw SERVING ${lag_ms} ms after the service was SERVING"
check "the long-lived client reports SERVING" test "$waiter_status" -eq 0
check "within 3.5 s of the service being SERVING" test "$lag_ms" -lt 3500
e2e_finish

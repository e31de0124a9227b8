#!/usr/bin/env bash
# Runs e2e_test.py (the Python stubs against the real services) on a fresh
# database of the test cluster, with the services on free loopback ports.
# Usage: python_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
# Exit 77 (skipped) when Debian's python3-grpcio / python3-protobuf or the
# generated modules (target cables_proto_python) are missing.
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
python=/usr/bin/python3
if ! "$python" -c 'import grpc, google.protobuf' 2>/dev/null; then
  echo "SKIP: $python lacks grpc/protobuf (apt-get install python3-grpcio python3-protobuf)"
  exit 77
fi
if [ ! -f "$E2E_BUILD/python/cables/v1/search_service_pb2_grpc.py" ]; then
  echo "SKIP: no Python stubs in $E2E_BUILD/python (build target cables_proto_python)"
  exit 77
fi
. "$SRC/tests/e2e/lib.sh"

url=$(e2e_new_database python) || exit 1
declare -A addr
for service in ingest metadata search; do
  addr[$service]="127.0.0.1:$(e2e_free_port)"
  e2e_start "cables-$service" "${addr[$service]}" "$url" || exit 1
done
CABLES_INGEST_ADDR=${addr[ingest]} CABLES_METADATA_ADDR=${addr[metadata]} \
CABLES_SEARCH_ADDR=${addr[search]} \
CABLES_CORPUS="$SRC/../shared/corpus/wikileaks-html" \
PYTHONPATH="$E2E_BUILD/python" PYTHONDONTWRITEBYTECODE=1 \
  "$python" "$SRC/tests/python/e2e_test.py"

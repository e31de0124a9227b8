#!/usr/bin/env bash
# End to end, scaling past one machine: a primary and a streaming-replication
# hot standby (tools/embedded-pg on two loopback ports).
#  - cables-ingest writes to the primary; two cables-search replicas and
#    cables-metadata read from the standby (DATABASE_READ_URL); their only
#    connections to the primary are metadata's writer (deletions)
#  - searches keep succeeding while the standby catches up with an import
#  - once caught up, every cable is found through the standby
#  - two search replicas behind client-side round robin
#    (ipv4:A:P,B:P) both take traffic (their grpc_server_handled_total)
#  - a deletion through metadata lands on the primary and reaches the
#    standby
#  - bearer tokens: cablectl --token against services with a tokens file
#  - OAI-PMH at /oai of the metadata binary, served from the standby and
#    valid against the OAI-PMH + oai_dc schemas (when xmllint is present)
# Usage: read_replica_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
. "$(dirname "$0")/lib.sh"
corpus="$SRC/../shared/corpus/wikileaks-html"
ctl="$E2E_BIN/cablectl"
pg="$SRC/tools/embedded-pg"

stop_clusters() {
  "$pg" stop --dir "$e2e_tmp/standby" --purge >/dev/null 2>&1 || true
  "$pg" stop --dir "$e2e_tmp/primary" --purge >/dev/null 2>&1 || true
}
trap 'stop_clusters; e2e_cleanup' EXIT

primary=$("$pg" start --dir "$e2e_tmp/primary" --migrate "$E2E_BIN/cables-migrate" | tail -1) || {
  echo "primary did not start"; exit 1; }
standby=$("$pg" start --dir "$e2e_tmp/standby" --standby-of "$primary" | tail -1) || {
  echo "standby did not start"; exit 1; }
echo "primary $primary"
echo "standby $standby"
check "standby is in recovery" test "$(e2e_sql "$standby" 'SELECT pg_is_in_recovery()')" = "t"

# Tokens: one reader, one writer (only their hashes are on disk).
read_token=reader-$RANDOM$RANDOM
write_token=writer-$RANDOM$RANDOM
{
  echo "$(printf %s "$read_token" | sha256sum | cut -d' ' -f1) read reader"
  echo "$(printf %s "$write_token" | sha256sum | cut -d' ' -f1) write writer"
} > "$e2e_tmp/tokens"
auth=(--auth_tokens_file "$e2e_tmp/tokens")

ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
search_a_port=$(e2e_free_port)
search_b_port=$(e2e_free_port)
http_a="127.0.0.1:$(e2e_free_port)"
http_b="127.0.0.1:$(e2e_free_port)"
e2e_start cables-ingest "$ingest" "$primary" "${auth[@]}" || exit 1
metadata_http="127.0.0.1:$(e2e_free_port)"
e2e_start cables-metadata "$metadata" "$primary" --database_read "$standby" \
  --http_listen "$metadata_http" "${auth[@]}" || exit 1
e2e_start cables-search "127.0.0.1:$search_a_port" "$primary" --database_read "$standby" \
  --index_dir "$e2e_tmp/index-a" --http_listen "$http_a" "${auth[@]}" || exit 1
e2e_start cables-search "127.0.0.1:$search_b_port" "$primary" --database_read "$standby" \
  --index_dir "$e2e_tmp/index-b" --http_listen "$http_b" "${auth[@]}" || exit 1
both="ipv4:127.0.0.1:$search_a_port,127.0.0.1:$search_b_port"
export CABLES_TOKEN=$read_token

check "no token: refused" bash -c "! CABLES_TOKEN= '$ctl' search --search 127.0.0.1:$search_a_port embassy"
check "read token cannot import" bash -c "! '$ctl' import --ingest $ingest '$corpus/2005'"

# Import through the primary while searches run against the standby.
total=$(find "$corpus" -name '*.html' | wc -l)
CABLES_TOKEN=$write_token "$ctl" import --ingest "$ingest" "$corpus" > "$e2e_tmp/import.txt" 2>&1 &
importer=$!
searches=0 search_failures=0
while kill -0 "$importer" 2>/dev/null; do
  if "$ctl" search --search "$both" --json government > /dev/null 2>>"$e2e_tmp/search-errors.txt"; then
    searches=$((searches + 1))
  else
    search_failures=$((search_failures + 1))
  fi
done
wait "$importer"
import_status=$?
echo "searches during the import: $searches ok, $search_failures failed"
check "import through the primary" bash -c "[ $import_status -eq 0 ] && grep -q 'created $total' '$e2e_tmp/import.txt'"
check "searches kept succeeding during the import" test "$search_failures" -eq 0 -a "$searches" -gt 0

caught_up=no
for _ in $(seq 1 300); do
  if [ "$(e2e_sql "$standby" 'SELECT count(*) FROM cables')" = "$total" ]; then caught_up=yes; break; fi
  sleep 0.2
done
check "standby caught up" test "$caught_up" = yes

# Reads come from the standby: the readers' connections are there, and
# the only service connections on the primary are ingest's and metadata's
# writer.
check "search and metadata read from the standby" bash -c "[ \$(psql '$standby' -qAtc \"SELECT count(*) FROM pg_stat_activity WHERE application_name IN ('cables-search-read','cables-metadata-read')\") -gt 0 ]"
check "no reads on the primary" test "$(e2e_sql "$primary" "SELECT count(*) FROM pg_stat_activity WHERE application_name IN ('cables-search','cables-search-read','cables-search-indexer','cables-metadata-read')")" = "0"

check "get through the standby" bash -c "'$ctl' get --metadata $metadata 08DAMASCUS427 --json | grep -q '\"canonical_id\": *\"08DAMASCUS427\"'"
# The index of each replica catches up from the standby's change log.
found=no
for _ in $(seq 1 150); do
  if "$ctl" search --search "127.0.0.1:$search_b_port" --json 'id:08DAMASCUS427' 2>/dev/null | grep -q 08DAMASCUS427; then found=yes; break; fi
  sleep 0.2
done
check "search finds a cable through the standby" test "$found" = yes

# Round robin over both replicas.
for _ in $(seq 1 20); do "$ctl" search --search "$both" embassy > /dev/null 2>&1; done
handled() {  # handled HTTP_ADDR: SearchCables calls the replica answered
  curl -s "http://$1/metrics" | awk '/^grpc_server_handled_total\{.*grpc_method="SearchCables"/ {n += $NF} END {print n + 0}'
}
a=$(handled "$http_a") b=$(handled "$http_b")
echo "SearchCables handled: replica a $a, replica b $b"
check "both search replicas take traffic" test "$a" -gt 0 -a "$b" -gt 0

# OAI-PMH through the real binary, from the standby.
schemas="$SRC/services/oai/schemas"
oai_valid() {  # oai_valid FILE: schema-valid (or xmllint absent)
  command -v xmllint >/dev/null || return 0
  XML_CATALOG_FILES="$schemas/catalog.xml" xmllint --nonet --noout \
    --schema "$schemas/oai_pmh_with_oai_dc.xsd" "$1"
}
curl -s "http://$metadata_http/oai?verb=Identify" > "$e2e_tmp/identify.xml"
curl -s "http://$metadata_http/oai?verb=ListRecords&metadataPrefix=oai_dc&set=year:2008" > "$e2e_tmp/records.xml"
check "OAI-PMH Identify" grep -q '<deletedRecord>persistent</deletedRecord>' "$e2e_tmp/identify.xml"
check "OAI-PMH Identify is schema-valid" oai_valid "$e2e_tmp/identify.xml"
check "OAI-PMH ListRecords has Dublin Core records" grep -q '<dc:title>' "$e2e_tmp/records.xml"
check "OAI-PMH ListRecords is schema-valid" oai_valid "$e2e_tmp/records.xml"

# A deletion goes to the primary and arrives on the standby.
check "read token cannot delete" bash -c "! '$ctl' delete --metadata $metadata 08DAMASCUS427 --reason test"
check "delete through metadata" env CABLES_TOKEN="$write_token" "$ctl" delete --metadata "$metadata" 08DAMASCUS427 --reason "e2e test"
check "deletion on the primary" test "$(e2e_sql "$primary" "SELECT count(*) FROM cable_tombstones WHERE canonical_id = '08DAMASCUS427'")" = "1"
gone=no
for _ in $(seq 1 100); do
  if [ "$(e2e_sql "$standby" "SELECT count(*) FROM cable_tombstones WHERE canonical_id = '08DAMASCUS427'")" = "1" ]; then gone=yes; break; fi
  sleep 0.1
done
check "deletion replicated to the standby" test "$gone" = yes

e2e_finish

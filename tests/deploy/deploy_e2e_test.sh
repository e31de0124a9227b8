#!/usr/bin/env bash
# The containerised deployment end to end: builds the images
# (deploy/build-images; cached layers make a rebuild of unchanged sources
# take seconds), brings the pod up on free loopback ports
# (deploy/podman/cables-pod), imports a few hundred real cables with the
# host's cablectl, fetches and searches them, checks the runtime contract
# (UID 65532, read-only root filesystem, no shell in the image,
# configuration from the environment only, HEALTHCHECK, SIGTERM exits 0)
# and removes everything again (trap).
#
# Usage: deploy_e2e_test.sh BIN_DIR BUILD_DIR SOURCE_DIR
# Exit 77 (skipped, with the reason) when podman cannot run containers
# here, when the base image is missing and cannot be made (debootstrap
# needs root), or when CABLES_SKIP_DEPLOY_E2E is set.
set -uo pipefail
E2E_BIN=$1 E2E_BUILD=$2 SRC=$3
skip() { echo "SKIP: $*"; exit 77; }
[ -n "${CABLES_SKIP_DEPLOY_E2E:-}" ] && skip "CABLES_SKIP_DEPLOY_E2E is set"
. "$SRC/deploy/podman/lib.sh"
reason=$(podman_usable) || skip "$reason"
if ! image_exists "$CABLES_BASE_IMAGE"; then
  [ "$(id -u)" -eq 0 ] || skip "$CABLES_BASE_IMAGE is missing and debootstrap needs root"
  command -v debootstrap >/dev/null || skip "$CABLES_BASE_IMAGE is missing and debootstrap is not installed"
fi
corpus="$SRC/../shared/corpus/wikileaks-html"
[ -d "$corpus" ] || skip "no corpus at $corpus"
ctl="$E2E_BIN/cablectl"
[ -x "$ctl" ] || { echo "FAIL: $ctl is not built"; exit 1; }

. "$SRC/tests/e2e/lib.sh"
pod="cables-e2e-$$"
teardown() {
  "$SRC/deploy/podman/cables-pod" down --name "$pod" >/dev/null 2>&1 || true
  e2e_cleanup
}
trap teardown EXIT

start=$SECONDS
if ! "$SRC/deploy/build-images" 2>&1 | tee "$e2e_tmp/build.txt" | grep -v '^build-images: .* \.\.\.$'; then
  echo "FAIL: building the images"; tail -40 "$e2e_tmp/build.txt"; exit 1
fi
echo "images ready in $((SECONDS - start)) s"

ingest="127.0.0.1:$(e2e_free_port)"
metadata="127.0.0.1:$(e2e_free_port)"
search="127.0.0.1:$(e2e_free_port)"
if ! "$SRC/deploy/podman/cables-pod" up --name "$pod" --ingest-port "${ingest##*:}" \
    --metadata-port "${metadata##*:}" --search-port "${search##*:}"; then
  echo "FAIL: the pod did not come up"; exit 1
fi

# A few hundred real cables, 08DAMASCUS427 among them.
mkdir -p "$e2e_tmp/cables"
find "$corpus" -name '*.html' | sort | awk 'NR % 4 == 0' | head -300 |
  xargs -I{} cp {} "$e2e_tmp/cables/"
cp "$corpus/2008/06/08DAMASCUS427.html" "$e2e_tmp/cables/"
n=$(find "$e2e_tmp/cables" -name '*.html' | wc -l)
check "import $n real cables into the pod" bash -c \
  "'$ctl' import --ingest $ingest '$e2e_tmp/cables' | tee /dev/stderr | grep -q 'created $n, new version 0, unchanged 0, rejected 0'"
check "import again: all unchanged" bash -c \
  "'$ctl' import --ingest $ingest '$e2e_tmp/cables' | grep -q 'created 0, new version 0, unchanged $n, rejected 0'"
check "get by a lower-case id" bash -c "'$ctl' get --metadata $metadata 08damascus427 | grep -q '08DAMASCUS427'"
check "browse counts every cable" bash -c \
  "'$ctl' browse years --metadata $metadata | grep -qE '^ *$n  cables in all'"
check "search finds it" bash -c "'$ctl' search --search $search 'french damascus visit' | grep -q '^08DAMASCUS427 '"
check "search by id" bash -c "'$ctl' search --search $search '08 DAMASCUS 427' | grep -q '^08DAMASCUS427 '"
check "missing cable: non-zero exit" bash -c "! '$ctl' get --metadata $metadata 08DAMASCUS99999"

# The runtime contract, container by container.
proc_status() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
root_mount() { awk '$5 == "/" { split($6, o, ","); print o[1] }' "/proc/$1/mountinfo"; }
for c in ingest metadata search postgres; do
  pid=$(podman inspect --format '{{.State.Pid}}' "$pod-$c")
  want_uid=65532
  [ "$c" = postgres ] && want_uid=999
  check "$c runs as UID $want_uid" test "$(proc_status "$pid" Uid)" = "$want_uid"
  check "$c has a read-only root filesystem" bash -c \
    "test \"\$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' $pod-$c)\" = true && test \"\$(awk '\$5 == \"/\" { split(\$6, o, \",\"); print o[1] }' /proc/$pid/mountinfo)\" = ro"
  check "$c HEALTHCHECK passes" podman healthcheck run "$pod-$c"
done
for c in ingest metadata search migrate; do
  image=$(cables_image "$c")
  check "$c image: user 65532, exec-form entrypoint" bash -c \
    "podman image inspect --format '{{.Config.User}} {{json .Config.Entrypoint}}' $image | grep -q '^65532:65532 \[\"/usr/local/bin/cables-'"
  check "$c image: no shell" bash -c "! podman run --rm --entrypoint /bin/sh $image -c true 2>/dev/null"
done
check "no DATABASE_URL: the service refuses to start" bash -c \
  "podman run --rm --read-only $(cables_image search) 2>&1 | grep -q DATABASE_URL"

# SIGTERM: health turns NOT_SERVING, calls drain, the process exits 0.
stop_start=$SECONDS
podman stop -t 30 "$pod-search" >/dev/null 2>&1
check "SIGTERM: search exits 0" test "$(podman inspect --format '{{.State.ExitCode}}' "$pod-search")" = 0
check "SIGTERM: within the grace period" test $((SECONDS - stop_start)) -lt 30

e2e_finish

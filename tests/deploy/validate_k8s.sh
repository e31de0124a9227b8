#!/usr/bin/env bash
# Validates deploy/k8s: yamllint (Debian), then the Kubernetes API schemas
# of the npm package kubernetes-models plus unknown-field, cross-reference
# and convention checks (validate_k8s.mjs). Then proves the validator bites:
# broken copies of the manifests must each be rejected.
#
# Usage: validate_k8s.sh SOURCE_DIR BUILD_DIR
# The npm packages go to BUILD_DIR/deploy-npm (never into the sources).
# Exit 77 (skipped, with the reason) when yamllint or npm is missing or the
# npm registry cannot be reached and nothing is installed yet.
set -uo pipefail
src=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
manifests=$src/deploy/k8s
npmdir=$build/deploy-npm
skip() { echo "SKIP: $*"; exit 77; }

command -v yamllint >/dev/null || skip "yamllint is not installed (apt-get install yamllint)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  skip "node/npm are not installed"
fi

mkdir -p "$npmdir"
cat >"$npmdir/package.json.new" <<'EOF'
{
  "private": true,
  "description": "Kubernetes schema validation for deploy/k8s (tests/deploy/validate_k8s.sh)",
  "type": "module",
  "dependencies": {
    "kubernetes-models": "5.1.0",
    "yaml": "2.9.1"
  }
}
EOF
if ! cmp -s "$npmdir/package.json.new" "$npmdir/package.json" ||
   [[ ! -d $npmdir/node_modules/kubernetes-models ]]; then
  mv "$npmdir/package.json.new" "$npmdir/package.json"
  if ! (cd "$npmdir" && timeout 300 npm install --no-audit --no-fund --loglevel=error) \
      >"$npmdir/install.log" 2>&1; then
    tail -5 "$npmdir/install.log"
    skip "npm install failed (registry unreachable?); see $npmdir/install.log"
  fi
else
  rm -f "$npmdir/package.json.new"
fi
# ESM resolves packages from the script's folder: run a copy from there.
cp "$here/validate_k8s.mjs" "$npmdir/validate_k8s.mjs"

passed=0 failed=0
check() {  # check NAME COMMAND...
  if "${@:2}" >"$npmdir/check.out" 2>&1; then
    passed=$((passed + 1)); echo "ok: $1"
  else
    failed=$((failed + 1)); echo "FAIL: $1"; sed 's/^/  /' "$npmdir/check.out" | tail -20
  fi
}
rejects() {  # rejects FILE SED-EXPRESSION: the validator must fail on it
  local tmp status
  tmp=$(mktemp -d)
  cp -r "$manifests" "$tmp/k8s"
  sed -i "$2" "$tmp/k8s/$1"
  if cmp -s "$manifests/$1" "$tmp/k8s/$1"; then
    echo "mutation '$2' changed nothing in $1"; rm -rf "$tmp"; return 1
  fi
  yamllint -s -c "$manifests/yamllint.yaml" "$tmp/k8s" >/dev/null 2>&1 &&
    node "$npmdir/validate_k8s.mjs" "$tmp/k8s" >"$tmp/out" 2>&1
  status=$?
  head -3 "$tmp/out" 2>/dev/null
  rm -rf "$tmp"
  [[ $status -ne 0 ]]
}

check "yamllint" yamllint -s -c "$manifests/yamllint.yaml" "$manifests"
check "schemas, fields, references, conventions" node "$npmdir/validate_k8s.mjs" "$manifests"
check "rejects an unknown field" rejects search.yaml 's/^  replicas: 2/  replicass: 2/'
check "rejects a wrong type" rejects metadata.yaml '0,/containerPort: 50052/s//containerPort: "50052"/'
check "rejects a missing Secret key" rejects ingest.yaml 's/key: DATABASE_URL/key: DATABASE_URI/'
check "rejects a writable root filesystem" rejects search.yaml 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/'
check "rejects a Service port that targets nothing" rejects metadata.yaml 's/targetPort: grpc/targetPort: grcp/'
check "rejects a liveness probe on the readiness service" rejects search.yaml 's/service: liveness/service: ""/'
check "rejects an HPA for a missing Deployment" rejects search.yaml '/scaleTargetRef:/,/name:/s/name: cables-search/name: cables-serch/'
check "rejects a duplicate key" rejects migrate-job.yaml 's/^  backoffLimit: 4/  backoffLimit: 4\n  backoffLimit: 5/'
check "rejects bad indentation (yamllint)" rejects configmap.yaml 's/^  CABLES_POOL_SIZE/   CABLES_POOL_SIZE/'

echo "validate_k8s: $passed passed, $failed failed"
[[ $failed -eq 0 ]]

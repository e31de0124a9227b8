# shellcheck shell=bash disable=SC2034
# Shared by the deployment scripts: podman with this project's settings.
# Source it; it sets CABLES_DEPLOY_DIR and CONTAINERS_CONF.
#
#   podman_usable      exit 0 when podman can run a container here; else
#                      prints the reason on stdout and returns 1
#   image_exists NAME  exit 0 when the local image NAME exists

CABLES_DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$CABLES_DEPLOY_DIR/podman/containers.conf}

# Image names; CABLES_IMAGE_TAG picks the tag (default "latest").
CABLES_IMAGE_TAG=${CABLES_IMAGE_TAG:-latest}
CABLES_BASE_IMAGE=localhost/base:bookworm
CABLES_SERVICES=(ingest metadata search)

cables_image() {  # cables_image NAME: prints localhost/cables-NAME:TAG
  echo "localhost/cables-$1:$CABLES_IMAGE_TAG"
}

image_exists() { podman image exists "$1" 2>/dev/null; }

podman_usable() {
  if ! command -v podman >/dev/null 2>&1; then
    echo "podman is not installed (apt-get install podman buildah runc catatonit)"
    return 1
  fi
  if ! podman info >/dev/null 2>&1; then
    echo "podman cannot start: $(podman info 2>&1 | tail -1)"
    return 1
  fi
  return 0
}

#!/usr/bin/env bash
# Deletes the kind cluster that kind/up.sh created (everything in it goes). kind/.state (the local CA
# and generated credentials) is kept unless --purge is given.
set -euo pipefail

KIND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLUSTER="${TU_KIND_CLUSTER:-tu}"

command -v kind >/dev/null || { echo "kind is not installed" >&2; exit 1; }
if kind get clusters | grep -qx "$CLUSTER"; then
  kind delete cluster --name "$CLUSTER"
else
  echo "no kind cluster named $CLUSTER"
fi
if [[ "${1:-}" == --purge ]]; then
  rm -rf "$KIND_DIR/.state"
  echo "removed $KIND_DIR/.state"
fi

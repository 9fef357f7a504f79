#!/usr/bin/env bash
# Builds the six service images with deploy/docker/Dockerfile and loads them into the kind cluster.
# Needs Docker and kind (not available on the project's machines: not executed there).
#
#   kind/build-images.sh [VERSION]     VERSION defaults to the chart's appVersion
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER="${TU_KIND_CLUSTER:-tu}"
VERSION="${1:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/charts/tu/Chart.yaml")}"
SERVICES=(ingestion-service ai-vision-adapter messaging-bridge analysis-orchestrator graph-gateway api-gateway)

[[ -n "$VERSION" && "$VERSION" != latest ]] || { echo "a version is required (never latest)" >&2; exit 1; }

echo "building the jars (./mvnw package, tests skipped)"
"$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -DskipTests package

for service in "${SERVICES[@]}"; do
  context="$ROOT/target/image-context/$service"
  rm -rf "$context"
  mkdir -p "$context/models"
  jar=""
  for candidate in "$ROOT/$service/target/$service"-*.jar; do
    if [[ -f "$candidate" ]]; then
      jar="$candidate"
      break
    fi
  done
  [[ -n "$jar" ]] || { echo "no jar for $service" >&2; exit 1; }
  cp "$jar" "$context/app.jar"
  if [[ "$service" == ai-vision-adapter ]]; then
    cp -r "$ROOT/ai-vision-adapter/target/models/." "$context/models/"
  fi
  echo "image tu/$service:$VERSION"
  docker build --build-arg SERVICE="$service" -f "$ROOT/deploy/docker/Dockerfile" -t "tu/$service:$VERSION" "$context"
  kind load docker-image --name "$CLUSTER" "tu/$service:$VERSION"
done

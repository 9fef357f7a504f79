#!/usr/bin/env bash
# Pipeline benchmark (issue 12): uploads through the whole suite (api-gateway → ingestion → outbox →
# Kafka → adapter → Kafka → bridge → RabbitMQ → orchestrator → notification) against raw inference of
# the same six photos by the same models in one JVM, measured one after the other in one run:
#   throughput: pipeline images/s (uploads queued, a few in flight) / raw images/s    target ≥ 0.90
#   latency:    p95 upload accepted → notification, one upload at a time, minus the raw p95 inference
#               time per image = the pipeline's overhead                             target ≤ raw p95
#
#   scripts/bench-pipeline.sh [rounds] [adapters]   (rounds over the six photos per phase, default 3;
#                                                   adapter replicas in one consumer group, default 1)
#
# Needs the infrastructure (scripts/infra.sh up) and the built jars (./mvnw -DskipTests install); no local
# suite running (it starts its own on the usual ports and stops it). Everything runs on 127.0.0.1.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROOT="$(tu_root)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found"
export JAVA_HOME
rounds="${1:-3}"
adapters="${2:-1}"
"$ROOT/scripts/infra.sh" up >/dev/null
tu_port_open 127.0.0.1 8080 && tu_die "something answers on 127.0.0.1:8080: stop the local suite first (./dev down)"
cd "$ROOT"
# Steady state, as in the cluster: the local C1-only start-up flag is left out on both sides.
jvm_options="$(sed 's/-XX:TieredStopAtLevel=1//' "$ROOT/deploy/env/jvm.options")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "scripts/bench-pipeline.sh: $rounds round(s) of 6 photos per phase, $adapters adapter(s); $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "service JVM options: $jvm_options"

./mvnw -B -q -pl ai-vision-adapter test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tu.vision.bench.AdapterBenchmark -Dtu.bench.adapter=false \
  -Dtu.bench.rounds="$rounds" -Dtu.models.dir="$ROOT/ai-vision-adapter/target/models" -Dtu.root="$ROOT" \
  | tee "$out/raw.txt"
./mvnw -B -q -pl system-tests test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tu.system.bench.PipelineBenchmark \
  -Dtu.bench.rounds="$rounds" -Dtu.bench.adapters="$adapters" -Dtu.root="$ROOT" \
  -Dtu.service.jvm.options="$jvm_options" | tee "$out/pipeline.txt"

value() { awk -v key="$1" '$1 == key {print $2}' "$out"/*.txt; }
raw="$(value raw_images_per_s)" pipeline="$(value pipeline_images_per_s)"
raw_p50="$(value raw_image_p50_ms)" raw_p95="$(value raw_image_p95_ms)"
p50="$(value pipeline_latency_p50_ms)" p95="$(value pipeline_latency_p95_ms)"
[[ -n "$raw" && -n "$pipeline" && -n "$p95" ]] || tu_die "a side printed no figures (see above)"
echo
echo "                         raw inference   pipeline   ratio / overhead"
awk -v r="$raw" -v p="$pipeline" 'BEGIN {printf "images/s                 %13.3f %10.3f   %.3f (target >= 0.90)\n", r, p, p / r}'
awk -v r="$raw_p50" -v p="$p50" 'BEGIN {printf "p50 ms per image        %13d %10d   overhead %d ms\n", r, p, p - r}'
awk -v r="$raw_p95" -v p="$p95" 'BEGIN {printf "p95 ms per image        %13d %10d   overhead %d ms (target <= %d ms, the inference p95)\n", r, p, p - r, r}'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

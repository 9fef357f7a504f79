#!/usr/bin/env bash
# Adapter benchmark: per-analyzer inference time (median, p95) and the adapter's topic-to-topic
# throughput as a ratio of raw in-process inference, measured side by side in one run.
#
#   scripts/bench-adapter.sh [rounds]     (rounds over six real photos; default 5)
#
# Needs the infrastructure (scripts/infra.sh up) and the built jars (./mvnw -DskipTests install).
# Everything runs on 127.0.0.1; the adapter process it starts is stopped when it ends.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROOT="$(tu_root)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found"
export JAVA_HOME
rounds="${1:-5}"
"$ROOT/scripts/infra.sh" up >/dev/null
cd "$ROOT"
# The adapter runs with the local JVM options minus the C1-only start-up flag: steady state is measured,
# as in the cluster (the raw side runs in Maven's JVM with the full JIT too).
jvm_options="$(sed 's/-XX:TieredStopAtLevel=1//' "$ROOT/deploy/env/jvm.options")"
echo "adapter JVM options: $jvm_options"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -q -pl ai-vision-adapter test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tu.vision.bench.AdapterBenchmark \
  -Dtu.bench.rounds="$rounds" -Dtu.models.dir="$ROOT/ai-vision-adapter/target/models" -Dtu.root="$ROOT" -Dtu.service.jvm.options="$jvm_options"

#!/usr/bin/env bash
# Ingestion benchmark (issue 12): uploads per second of a 1 MB photograph into the ingestion-service
# against the raw rate of an object-store PUT plus a Kafka send (acks=all) done directly, same number in
# flight, one after the other in one run. Target: the service at least 70 % of raw.
#
#   scripts/bench-ingestion.sh [uploads] [in-flight]      (default 200 and 8)
#
# Needs the infrastructure (scripts/infra.sh up) and the built jars (./mvnw -DskipTests install). The
# service runs alone on 18183/19183 against its test database, the test bucket and a private Kafka
# broker (19492) the run starts and stops, so no upload reaches a local suite. All on 127.0.0.1.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROOT="$(tu_root)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found"
export JAVA_HOME
uploads="${1:-200}"
in_flight="${2:-8}"
"$ROOT/scripts/infra.sh" up >/dev/null
cd "$ROOT"
jvm_options="$(sed 's/-XX:TieredStopAtLevel=1//' "$ROOT/deploy/env/jvm.options")"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "scripts/bench-ingestion.sh: $uploads uploads, $in_flight in flight; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -q -pl system-tests test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.tu.system.bench.IngestionBenchmark -Dtu.bench.uploads="$uploads" \
  -Dtu.bench.in-flight="$in_flight" -Dtu.root="$ROOT" -Dtu.service.jvm.options="$jvm_options" | tee "$out"
value() { awk -v key="$1" '$1 == key {print $2}' "$out"; }
raw="$(value raw_put_send_per_s)" service="$(value ingestion_uploads_per_s)"
[[ -n "$raw" && -n "$service" ]] || tu_die "no figures (see above)"
echo
awk -v r="$raw" -v s="$service" -v b="$(value photo_bytes)" 'BEGIN {
  printf "1 MB photo (%d bytes): raw put+send %.2f/s, ingestion-service %.2f uploads/s, ratio %.3f (target >= 0.70)\n", b, r, s, s / r }'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

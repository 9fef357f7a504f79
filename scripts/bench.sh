#!/usr/bin/env bash
# Every benchmark of the suite in one run, each printing its ratio beside the raw figures it is measured
# against (docs/benchmarks.md: what each measures, the targets, the last results):
#
#   scripts/bench.sh           the full set (25 minutes on 2 cores, 2026-12-02)
#   scripts/bench.sh quick     the same figures from fewer samples
#   TU_BENCH_ONLY="pipeline ingestion" scripts/bench.sh      some of them
#
# From a clean clone: it installs wrk, starts the infrastructure, builds and installs the jars, then runs
# adapter, pipeline, scaling (the pipeline with two adapter replicas), ingestion, startup, gateway and
# bridge one after the other (never two at once: they
# measure the same cores). A local suite must not be running (./dev down). The whole output is also
# written to .state/bench/bench-<time>.txt; figures go into docs/benchmarks.md by hand, with the date.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROOT="$(tu_root)"
STATE="$(tu_state_dir)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found"
export JAVA_HOME
mode="${1:-full}"
[[ "$mode" == full || "$mode" == quick ]] || tu_die "usage: $0 [full|quick]"
read -r -a ONLY <<< "${TU_BENCH_ONLY:-adapter pipeline scaling ingestion startup gateway bridge}"
mkdir -p "$STATE/bench"
report="$STATE/bench/bench-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$report") 2>&1

tu_port_open 127.0.0.1 8080 && tu_die "something answers on 127.0.0.1:8080: stop the local suite first (./dev down)"
"$ROOT/scripts/infra.sh" tools "$ROOT/scripts/bench-tools.txt"
# Infrastructure this run starts is stopped when it ends; one that was already up is left as it was.
if ! tu_port_open 127.0.0.1 9092; then
  trap '"$ROOT/scripts/infra.sh" down >/dev/null' EXIT
fi
"$ROOT/scripts/infra.sh" up >/dev/null
echo "== scripts/bench.sh $mode, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "== $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
echo "== building the jars (./mvnw -DskipTests install)"
"$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -DskipTests install

if [[ "$mode" == quick ]]; then
  adapter=(1) pipeline=(1) ingestion=(60 8) startup=(1) gateway=(10 32) gateway_rounds=1 bridge_records=20000
else
  adapter=(3) pipeline=(3) ingestion=(200 8) startup=(3) gateway=(20 32) gateway_rounds=2 bridge_records=100000
fi

failed=()
bench() {
  local name="$1" start=$SECONDS
  shift
  [[ " ${ONLY[*]} " == *" $name "* ]] || return 0
  echo
  echo "== $name: $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if "$@"; then
    echo "== $name done in $((SECONDS - start)) s"
  else
    echo "== $name FAILED after $((SECONDS - start)) s"
    failed+=("$name")
  fi
}
bench adapter "$ROOT/scripts/bench-adapter.sh" "${adapter[@]}"
bench pipeline "$ROOT/scripts/bench-pipeline.sh" "${pipeline[@]}"
bench scaling "$ROOT/scripts/bench-pipeline.sh" "${pipeline[@]}" 2
bench ingestion "$ROOT/scripts/bench-ingestion.sh" "${ingestion[@]}"
bench startup "$ROOT/scripts/bench-startup.sh" "${startup[@]}"
bench gateway env BENCH_ROUNDS="$gateway_rounds" "$ROOT/scripts/bench-gateway.sh" "${gateway[@]}"
bench bridge env BENCH_RECORDS="$bridge_records" "$ROOT/scripts/bench-bridge.sh"

echo
echo "== report: $report"
if ((${#failed[@]})); then
  echo "== failed: ${failed[*]}"
  exit 1
fi

#!/usr/bin/env bash
# Soak: the fault run of issue 11 (system-tests FaultRunIT) for longer — several rounds of every fault
# under a steady load of uploads — then its table, with the date and the 1-minute load average at the
# start, into docs/reliability-soak-last.txt (docs/reliability.md explains it).
#
#   scripts/soak.sh                          4 rounds at 1 upload/s, 20 % hostile files
#   SOAK_ROUNDS=10 SOAK_RATE=2 scripts/soak.sh
#
# Each round: kill -9 + restart of each of the six services, SIGTERM + restart of the ingestion-service
# and the adapter (a rolling update), stop/start of the private RabbitMQ node,
# of the private Kafka broker, of the private PostgreSQL cluster, a cut of the bridge's TCP connection
# to RabbitMQ; the poison messages go in once, at the start. The test starts its own infrastructure on
# 127.0.0.1 (PostgreSQL 5434, Kafka 19392, RabbitMQ 5676, proxy 5677) and the services on 182xx/192xx,
# so the shared suite and infrastructure are not touched; it needs the shared Keycloak and s3proxy
# (scripts/infra.sh up) and the service jars (./mvnw -B -q install -DskipTests).
# Knobs: SOAK_ROUNDS, SOAK_RATE (uploads/s), SOAK_HOSTILE (share 0-1).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT="$(tu_root)"
readonly ROUNDS="${SOAK_ROUNDS:-4}"
readonly RATE="${SOAK_RATE:-1}"
readonly HOSTILE="${SOAK_HOSTILE:-0.2}"
readonly RESULT="$ROOT/docs/reliability-soak-last.txt"

cd "$ROOT"
JAVA_HOME="$(tu_java_home)"
export JAVA_HOME
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
tu_log "soak: $ROUNDS rounds at $RATE uploads/s ($HOSTILE hostile), load average at start $load_at_start"
status=0
./mvnw -B verify -pl system-tests -Dit.test=FaultRunIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtu.faults.rounds="$ROUNDS" -Dtu.faults.rate="$RATE" -Dtu.faults.hostile="$HOSTILE" || status=$?
{
  echo "soak started $started: $ROUNDS rounds, $RATE uploads/s, hostile share $HOSTILE"
  echo "1-minute/5-minute/15-minute load average at start: $load_at_start (2 cores, shared machine)"
  echo "maven exit status: $status"
  cat system-tests/target/fault-run.txt 2>/dev/null || echo "(no table: the run failed before reconciling)"
} > "$RESULT"
cat "$RESULT"
exit "$status"

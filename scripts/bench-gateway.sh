#!/usr/bin/env bash
# Gateway benchmarks, each measured side by side in one run (see docs/benchmarks/gateway.md):
#  (a) api-gateway: throughput and p99 through the gateway against calling the same upstream directly;
#      the upstream is a loopback stub that answers after 20 ms.
#  (b) graph-gateway: the nested images-with-analyses query with Image.analysis batched against the
#      same query resolved one orchestrator call per image; the owners are a loopback stub that answers
#      after 10 ms and counts the calls it gets.
#
#   flock /tmp/tu-suite.lock scripts/bench-gateway.sh [seconds-per-run] [connections]   (default 20, 32)
#
# BENCH_ROUNDS (default 2) sets the rounds of (a); BENCH_SERVICE_ENV adds KEY=VALUE settings to both
# gateways (e.g. BENCH_SERVICE_ENV="MANAGEMENT_TRACING_SAMPLING_PROBABILITY=0" to see what tracing costs).
#
# Needs wrk (Debian: apt-get install -y wrk), the infrastructure (Keycloak for real tokens, RabbitMQ for
# graph-gateway) and the built jars (./mvnw -DskipTests install). Every process it starts binds to
# 127.0.0.1 on ports 18080-18091/19080-19082 and is stopped by its PID when it ends.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROOT="$(tu_root)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found"
export JAVA_HOME
RUN_S="${1:-20}"
CONNECTIONS="${2:-32}"
ROUNDS="${BENCH_ROUNDS:-2}"
command -v wrk >/dev/null || tu_die "wrk not found: apt-get install -y wrk"
STATE="$(tu_state_dir)"
[[ -r "$STATE/infra.env" ]] || tu_die "no $STATE/infra.env: run scripts/infra.sh up"
OUT="$STATE/bench-gateway"
mkdir -p "$OUT"
LUA="$ROOT/scripts/bench/report.lua"
# The local JVM options without -XX:TieredStopAtLevel=1 (a start-up setting the chart does not use).
JVM_OPTS="$(sed 's/-XX:TieredStopAtLevel=1//' "$ROOT/deploy/env/jvm.options")"
STARTED=()

cleanup() {
  local name
  for name in "${STARTED[@]}"; do tu_stop "$name" 30 || true; done
}
trap cleanup EXIT

jar_of() {
  local jar
  for jar in "$ROOT/$1/target/$1"-*.jar; do
    [[ -f "$jar" && "$jar" != *.original ]] && { printf '%s\n' "$jar"; return 0; }
  done
  tu_die "no jar for $1: run ./mvnw -DskipTests install"
}

# start_service NAME SERVICE KEY=VALUE...: the service's deploy/env, then the overrides.
start_service() {
  local name="$1" service="$2" jar
  shift 2
  jar="$(jar_of "$service")"
  (
    set -a
    # shellcheck source=/dev/null
    source "$STATE/infra.env"
    # shellcheck source=/dev/null
    source "$ROOT/deploy/env/$service.env"
    set +a
    # shellcheck disable=SC2086 # BENCH_SERVICE_ENV is a space-separated list of KEY=VALUE
    for kv in "$@" LOGGING_STRUCTURED_FORMAT_CONSOLE= ${BENCH_SERVICE_ENV:-}; do export "${kv?}"; done
    # shellcheck disable=SC2086
    tu_start_bg "$name" "$OUT/$name.log" "$JAVA_HOME/bin/java" $JVM_OPTS -jar "$jar"
  )
  STARTED+=("$name")
}

start_stub() { # NAME PORT DELAY_MS
  tu_start_bg "$1" "$OUT/$1.log" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx128m \
    "$ROOT/scripts/bench/SlowUpstream.java" "$2" "$3"
  STARTED+=("$1")
  tu_wait_http "http://127.0.0.1:$2/counts" 60 "$1" || tu_die "$1 did not start"
}

token() {
  curl -sf -d grant_type=password -d client_id=tu-cli -d username=alice -d password=dev-only-alice \
    -d scope=openid "$TU_ISSUER_URI/protocol/openid-connect/token" \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

# CPU seconds (user + system) a process has used so far.
cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Busy and total jiffies of the whole machine (all cores) so far.
machine_jiffies() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# run LABEL URL [BODY]: one wrk run; prints and returns its RESULT line, plus where the CPU went:
# the CPU seconds of the process in $SERVICE_PID (when set) and how busy the whole machine was.
run() {
  local label="$1" url="$2" body="${3:-}" line before after m0 m1 service=""
  before="$(cpu_s "${SERVICE_PID:-self}")"
  m0="$(machine_jiffies)"
  line="$(BENCH_BODY="$body" wrk -t1 -c"$CONNECTIONS" -d"${RUN_S}s" --timeout 10s -s "$LUA" \
    -H "Authorization: Bearer $TOKEN" "$url" | grep '^RESULT')"
  m1="$(machine_jiffies)"
  after="$(cpu_s "${SERVICE_PID:-self}")"
  [[ -n "${SERVICE_PID:-}" ]] && service=" service_cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')"
  line="$line$service machine_busy_pct=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.1f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }')"
  printf '%-28s %s\n' "$label" "${line#RESULT }" >&2
  printf '%s\n' "$line"
}

pid_of() { cat "$STATE/pids/$1.pid"; }

field() { # KEY LINE
  sed -E "s/.*[ ]$1=([^ ]+).*/\1/" <<<"$2"
}

# shellcheck source=/dev/null
source "$STATE/infra.env"
printf 'load average at start (1/5/15 min): %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'cores: %s; wrk -t1 -c%s, %s s per run; JVM options: %s; extra service env: %s\n' "$(nproc)" \
  "$CONNECTIONS" "$RUN_S" "$JVM_OPTS" "${BENCH_SERVICE_ENV:-none}"

# ---------------------------------------------------------------------------------------------
# (a) api-gateway against the upstream directly
start_stub bench-upstream 18090 20
start_service bench-api-gateway api-gateway SERVER_PORT=18080 MANAGEMENT_SERVER_PORT=19080 \
  TU_ROUTES_INGESTIONURI=http://127.0.0.1:18090 TU_ROUTES_GRAPHURI=http://127.0.0.1:18082 \
  TU_EDGE_RATELIMITCAPACITY=1000000000
tu_wait_http http://127.0.0.1:19080/actuator/health/readiness 240 bench-api-gateway \
  || tu_die "api-gateway did not become ready"
TOKEN="$(token)"
SERVICE_PID="$(pid_of bench-api-gateway)"
DIRECT=http://127.0.0.1:18090/api/v1/images/bench
GATEWAY=http://127.0.0.1:18080/api/v1/images/bench
echo "== (a) api-gateway vs direct, upstream answers after 20 ms"
run "warm-up (gateway)" "$GATEWAY" >/dev/null
run "warm-up (direct)" "$DIRECT" >/dev/null
sum_ratio=0; sum_added=0
for ((r = 1; r <= ROUNDS; r++)); do
  TOKEN="$(token)"
  d="$(run "round $r direct" "$DIRECT")"
  g="$(run "round $r through api-gateway" "$GATEWAY")"
  ratio="$(awk -v g="$(field rps "$g")" -v d="$(field rps "$d")" 'BEGIN { printf "%.3f", g / d }')"
  added="$(awk -v g="$(field p99_ms "$g")" -v d="$(field p99_ms "$d")" 'BEGIN { printf "%.3f", g - d }')"
  printf 'round %d: throughput ratio gateway/direct %s, added p99 %s ms (non-2xx: %s direct, %s gateway)\n' \
    "$r" "$ratio" "$added" "$(field non2xx "$d")" "$(field non2xx "$g")"
  sum_ratio="$(awk -v a="$sum_ratio" -v b="$ratio" 'BEGIN { print a + b }')"
  sum_added="$(awk -v a="$sum_added" -v b="$added" 'BEGIN { print a + b }')"
done
awk -v s="$sum_ratio" -v a="$sum_added" -v n="$ROUNDS" 'BEGIN {
  printf "(a) mean over %d rounds: throughput ratio %.3f (target >= 0.80), added p99 %.3f ms (target < 15)\n", n, s / n, a / n }'
tu_stop bench-api-gateway 30
tu_stop bench-upstream 10

# ---------------------------------------------------------------------------------------------
# (b) graph-gateway: batched against per item
start_stub bench-owners 18091 10
QUERY='{"query":"{ images(first: 20) { edges { node { id originalName analysis { status attempts } } } } }"}'
echo "== (b) graph-gateway, 20 images per query, owners answer after 10 ms"
declare -A RPS CALLS
for mode in batched per-item; do
  batch=true
  [[ "$mode" == per-item ]] && batch=false
  start_service "bench-graph-gateway-$mode" graph-gateway SERVER_PORT=18082 MANAGEMENT_SERVER_PORT=19082 \
    TU_DOWNSTREAM_INGESTIONURI=http://127.0.0.1:18091 TU_DOWNSTREAM_ORCHESTRATORURI=http://127.0.0.1:18091 \
    TU_GRAPHQL_IMAGES_BATCHANALYSES="$batch"
  tu_wait_http http://127.0.0.1:19082/actuator/health/readiness 240 "bench-graph-gateway-$mode" \
    || tu_die "graph-gateway ($mode) did not become ready"
  TOKEN="$(token)"
  SERVICE_PID="$(pid_of "bench-graph-gateway-$mode")"
  check="$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$QUERY" \
    http://127.0.0.1:18082/graphql)"
  grep -q '"status":"COMPLETED"' <<<"$check" || tu_die "the query does not answer as expected: $check"
  run "warm-up ($mode)" http://127.0.0.1:18082/graphql "$QUERY" >/dev/null
  curl -sf http://127.0.0.1:18091/reset >/dev/null
  line="$(run "$mode" http://127.0.0.1:18082/graphql "$QUERY")"
  counts="$(curl -sf http://127.0.0.1:18091/counts)"
  requests="$(field requests "$line")"
  total="$(grep -oE ':[0-9]+' <<<"$counts" | tr -d ':' | paste -sd+ | bc)"
  RPS[$mode]="$(field rps "$line")"
  CALLS[$mode]="$(awk -v t="$total" -v q="$requests" 'BEGIN { printf "%.3f", t / q }')"
  printf '%s: %s queries, downstream calls %s = %s per query (non-2xx: %s)\n' \
    "$mode" "$requests" "$counts" "${CALLS[$mode]}" "$(field non2xx "$line")"
  tu_stop "bench-graph-gateway-$mode" 30
done
awk -v b="${RPS[batched]}" -v p="${RPS[per-item]}" -v cb="${CALLS[batched]}" -v cp="${CALLS[per-item]}" 'BEGIN {
  printf "(b) throughput batched/per-item %.3f (target >= 3); downstream calls per query %s batched, %s per item\n", b / p, cb, cp }'

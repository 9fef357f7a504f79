#!/usr/bin/env bash
# Start-up and memory per service: time to ready and resident memory, the plain jar against the
# optimised start (the jar extracted, with a Java 25 AOT cache from a training run), side by side.
#
#   scripts/bench-startup.sh [rounds]      (starts per service and mode; default 3, medians printed)
#   TU_BENCH_SERVICES="api-gateway" scripts/bench-startup.sh 1     (some services only)
#
# Needs the infrastructure (scripts/infra.sh up) and the built jars (./mvnw -DskipTests package). Each
# service runs alone, on ports 18xxx/19xxx (so a running local suite is not disturbed), with its
# deploy/env file and deploy/env/jvm.options — the options ./dev and the tests use. Targets (issue 12):
# ready in under 5 s with the optimisation, at most 60 % of the plain start, under 300 MB RSS; and the
# whole suite (the six started at once, as ./dev up does) ready in under 90 s, measured both ways at the end.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
ROOT="$(tu_root)"
STATE="$(tu_state_dir)"
JAVA_HOME="$(tu_java_home)" || tu_die "JDK 25 not found"
JAVA="$JAVA_HOME/bin/java"
rounds="${1:-3}"
read -r -a SERVICES <<< "${TU_BENCH_SERVICES:-ingestion-service ai-vision-adapter messaging-bridge analysis-orchestrator graph-gateway api-gateway}"
WORK="$STATE/bench/startup-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
read -r -a JVM_OPTIONS <<< "$(cat "$ROOT/deploy/env/jvm.options")"

"$ROOT/scripts/infra.sh" up >/dev/null

jar_of() {
  local jar
  for jar in "$ROOT/$1/target/$1"-*.jar; do
    [[ -f "$jar" && "$jar" != *.original ]] && { echo "$jar"; return; }
  done
}

# Replaces the calling (sub)shell by "$@" with the service's environment on the bench ports (10100 above
# the local ones). Call it in a subshell: `(with_env …)` or `with_env … &`, so the pid is the JVM's.
with_env() {
  local name="$1"
  shift
  set -a
  # shellcheck disable=SC2034 # read by the env files' ${TU_ROOT}
  TU_ROOT="$ROOT"
  # shellcheck disable=SC1091
  source "$STATE/infra.env"
  # shellcheck disable=SC1090
  source "$ROOT/deploy/env/$name.env"
  SERVER_PORT=$((SERVER_PORT + 10100))
  MANAGEMENT_SERVER_PORT=$((MANAGEMENT_SERVER_PORT + 10100))
  set +a
  exec "$@"
}

management_port() {
  echo $(($(sed -n 's/^MANAGEMENT_SERVER_PORT=//p' "$ROOT/deploy/env/$1.env") + 10100))
}

# Prints "<ms to ready> <RSS MB at ready> <RSS MB after warm-up>" for one start of "$@".
measure() {
  local name="$1" log="$2" port pid t0 ready rss_ready rss_warm i
  shift 2
  port="$(management_port "$name")"
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/actuator/health/readiness"; then
    tu_die "something already answers on 127.0.0.1:$port: stop it first"
  fi
  t0="$(date +%s%N)"
  with_env "$name" "$@" >"$log" 2>&1 &
  pid=$!
  for ((i = 0; i < 1200; i++)); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/actuator/health/readiness" || true)" == 200 ]]; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || { tu_log "$name exited before it was ready (see $log)"; return 1; }
    [[ "$(readlink "/proc/$pid/exe")" == */java ]] || { sleep 0.05; continue; }
    sleep 0.05
  done
  ready=$((($(date +%s%N) - t0) / 1000000))
  rss_ready=$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))
  # Warm-up: what a kubelet and a scraper do for a while.
  for ((i = 0; i < 50; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health/liveness" || true
    curl -s -o /dev/null "http://127.0.0.1:$port/actuator/prometheus" || true
  done
  rss_warm=$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$ready $rss_ready $rss_warm"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

echo "scripts/bench-startup.sh: $rounds start(s) per service and mode; $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JVM options: ${JVM_OPTIONS[*]}"
printf '%-22s %9s %9s %7s %9s %9s %9s %9s\n' service plain_ms aot_ms ratio plain_MB aot_MB plainW_MB aotW_MB
suite_plain=0
suite_aot=0
for name in "${SERVICES[@]}"; do
  jar="$(jar_of "$name")"
  [[ -n "$jar" ]] || tu_die "no jar for $name: ./mvnw -DskipTests package"
  dir="$WORK/$name"
  mkdir -p "$dir"
  # The optimised start: the jar extracted (the AOT cache needs a plain class path), then one training
  # run that stops after the context refreshed and writes the cache.
  "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >/dev/null
  app="$(find "$dir/app" -maxdepth 1 -name '*.jar' | head -n 1)"
  (with_env "$name" "$JAVA" "${JVM_OPTIONS[@]}" -XX:AOTCacheOutput="$dir/app.aot" -Dspring.context.exit=onRefresh \
    -jar "$app") >"$dir/training.log" 2>&1 || tu_die "$name: training run failed (see $dir/training.log)"
  plain=() aot=() plain_rss=() aot_rss=() plain_warm=() aot_warm=()
  for ((r = 1; r <= rounds; r++)); do
    read -r ms rss warm < <(measure "$name" "$dir/plain-$r.log" "$JAVA" "${JVM_OPTIONS[@]}" -jar "$jar")
    plain+=("$ms") plain_rss+=("$rss") plain_warm+=("$warm")
    read -r ms rss warm < <(measure "$name" "$dir/aot-$r.log" "$JAVA" "${JVM_OPTIONS[@]}" \
      -XX:AOTCache="$dir/app.aot" -jar "$app")
    aot+=("$ms") aot_rss+=("$rss") aot_warm+=("$warm")
  done
  p="$(printf '%s\n' "${plain[@]}" | median)"
  a="$(printf '%s\n' "${aot[@]}" | median)"
  suite_plain=$((suite_plain + p))
  suite_aot=$((suite_aot + a))
  printf '%-22s %9d %9d %7.3f %9d %9d %9d %9d\n' "$name" "$p" "$a" "$(awk -v a="$a" -v p="$p" 'BEGIN {print a / p}')" \
    "$(printf '%s\n' "${plain_rss[@]}" | median)" "$(printf '%s\n' "${aot_rss[@]}" | median)" \
    "$(printf '%s\n' "${plain_warm[@]}" | median)" "$(printf '%s\n' "${aot_warm[@]}" | median)"
done
echo "sum of the six (one after another): plain ${suite_plain} ms, AOT ${suite_aot} ms"

# The whole suite as ./dev up starts it: the six at once on the same cores, until the last is ready.
# Prints the milliseconds; "$1" is plain or aot (the caches of the training runs above).
suite_ready() {
  local mode="$1" name jar app pids=() t0 i ready
  t0="$(date +%s%N)"
  for name in "${SERVICES[@]}"; do
    if [[ "$mode" == aot ]]; then
      app="$(find "$WORK/$name/app" -maxdepth 1 -name '*.jar' | head -n 1)"
      with_env "$name" "$JAVA" "${JVM_OPTIONS[@]}" -XX:AOTCache="$WORK/$name/app.aot" -jar "$app" \
        >"$WORK/$name/suite-$mode.log" 2>&1 &
    else
      jar="$(jar_of "$name")"
      with_env "$name" "$JAVA" "${JVM_OPTIONS[@]}" -jar "$jar" >"$WORK/$name/suite-$mode.log" 2>&1 &
    fi
    pids+=($!)
  done
  for name in "${SERVICES[@]}"; do
    for ((i = 0; i < 3600; i++)); do
      [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 \
        "http://127.0.0.1:$(management_port "$name")/actuator/health/readiness" || true)" == 200 ]] && break
      sleep 0.05
    done
  done
  ready=$((($(date +%s%N) - t0) / 1000000))
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  echo "$ready"
}
if ((${#SERVICES[@]} == 6)); then
  echo "the six started at once, until all are ready (target < 90000 ms): plain $(suite_ready plain) ms, AOT $(suite_ready aot) ms"
fi
echo "runs and logs: $WORK"

#!/usr/bin/env bash
# Benchmark: the messaging-bridge's delivered rate Kafka → RabbitMQ as a ratio of RabbitMQ's own
# confirmed-publish limit, measured side by side in one run on this machine (docs/benchmarks/bridge.md).
#
#   scripts/bench-bridge.sh                 100,000 records through the bridge, PerfTest 20 s
#   BENCH_RECORDS=20000 scripts/bench-bridge.sh
#
# What it does, all on 127.0.0.1:
#   1. starts a private RabbitMQ node of its own (tu-bench@localhost, AMQP 5674, files under
#      .state/bench/bridge-<time>/rabbit); the machine's node on 5672 is not used or touched;
#   2. RabbitMQ PerfTest (com.rabbitmq:perf-test, fetched with Maven into ~/.cache/tu) against it:
#      one publisher, one consumer, 1000-byte messages, confirm window 200, persistent, mandatory,
#      to a quorum queue (the bridge's messages are persistent and mandatory, and quorum queues are
#      what the suite consumes from); then the same without persistence on a classic queue, as a
#      reference only;
#   3. produces BENCH_RECORDS records of 1000 bytes with CloudEvents headers to a fresh topic,
#      declares a quorum queue bound to tu.events for that topic's routing key and consumes it;
#      starts the bridge jar (deploy/env/messaging-bridge.env + overrides: the private node, a route for
#      the bench topic, a fresh group from the earliest offset, its confirm window = max.poll.records =
#      BENCH_CONFIRM) and times first to last message arriving in the queue;
#   4. prints both rates and the ratio (target: >= 0.80); stops what it started, by PID; deletes the
#      bench topic and the node's files (BENCH_KEEP=1 keeps the logs).
#
# Knobs: BENCH_RECORDS, BENCH_SIZE, BENCH_CONFIRM, BENCH_PERF_SECONDS, BENCH_BRIDGE_JAR (another build of
# the bridge), BENCH_BRIDGE_JVM (its JVM flags), BENCH_BRIDGE_ENV ("KEY=VALUE ..." more environment for
# it), BENCH_KEEP=1, BENCH_TIMEOUT_S.
# Needs: scripts/infra.sh up (Kafka), the bridge jar (./mvnw -B -q package -DskipTests -pl messaging-bridge -am),
# the machine's rabbitmq-server package (the node runs as the current user, root included).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT="$(tu_root)"
STATE="$(tu_state_dir)"
CACHE="$(tu_cache_dir)"

readonly HOST=127.0.0.1
readonly RECORDS="${BENCH_RECORDS:-100000}"
readonly SIZE="${BENCH_SIZE:-1000}"
readonly CONFIRM="${BENCH_CONFIRM:-200}"
readonly PERF_SECONDS="${BENCH_PERF_SECONDS:-20}"
readonly RABBIT_PORT="${BENCH_RABBIT_PORT:-5674}"
readonly RABBIT_DIST_PORT=$((RABBIT_PORT + 20000))
readonly NODE="tu-bench@localhost"
readonly BRIDGE_PORT=18185
readonly BRIDGE_MANAGEMENT_PORT=19185
readonly PERF_TEST_VERSION=2.22.1
RUN_ID="$(date +%Y%m%d-%H%M%S)"
readonly RUN_ID
readonly WORK="$STATE/bench/bridge-$RUN_ID"
readonly TOPIC="tu.bench.events.$RUN_ID"
readonly QUEUE="tu.bench.bridge"
readonly RABBIT_SCRIPTS=/usr/lib/rabbitmq/bin

JAVA="$(tu_java_home)/bin/java"
NODE_WRAPPER_PID=""
BRIDGE_PID=""
CONSUMER_PID=""
CONSUMER_JAVA_PID=""
TOPIC_CREATED=""

# ---------------------------------------------------------------------------------------------
# Clean-up: only the PIDs this script started

stop_pid() {   # stop_pid PID TIMEOUT_S: SIGTERM, wait, SIGKILL
  local pid="$1" timeout="$2" deadline
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    tu_log "pid $pid ignored SIGTERM for ${timeout}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

node_pid() {   # the Erlang VM of our node (the pid file it wrote), if it runs
  local pid
  pid="$(tr -dc '0-9' 2>/dev/null < "$WORK/rabbit/node.pid")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null |
    grep -qx "RABBITMQ_NODENAME=$NODE" && printf '%s\n' "$pid"
}

cleanup() {
  local rc=$?
  set +e
  stop_pid "$CONSUMER_JAVA_PID" 5
  stop_pid "$CONSUMER_PID" 5
  stop_pid "$BRIDGE_PID" 30
  local pid
  pid="$(node_pid)"
  [[ -n "$pid" ]] && stop_pid "$pid" 60
  stop_pid "$NODE_WRAPPER_PID" 10
  if [[ -n "$TOPIC_CREATED" ]]; then
    helper delete-topic "$KAFKA_BOOTSTRAP" "$TOPIC" >/dev/null 2>&1
  fi
  if [[ "${BENCH_KEEP:-}" != 1 && $rc == 0 ]]; then
    rm -rf "$WORK/rabbit/data"
  fi
  ((rc == 0)) || tu_log "failed (rc $rc); logs in $WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Preconditions

mkdir -p "$WORK"
if [[ -r "$STATE/infra.env" ]]; then
  set -a
  # shellcheck disable=SC1091
  source "$STATE/infra.env"
  set +a
fi
KAFKA_BOOTSTRAP="${TU_KAFKA_BOOTSTRAP:-$HOST:9092}"
tu_port_open "${KAFKA_BOOTSTRAP%:*}" "${KAFKA_BOOTSTRAP##*:}" || tu_die "Kafka is not at $KAFKA_BOOTSTRAP: scripts/infra.sh up"
[[ -x "$RABBIT_SCRIPTS/rabbitmq-server" ]] || tu_die "no RabbitMQ server: apt-get install -y rabbitmq-server"
BRIDGE_JAR="${BENCH_BRIDGE_JAR:-$(find "$ROOT/messaging-bridge/target" -maxdepth 1 -name 'messaging-bridge-*.jar' ! -name '*-plain.jar' 2>/dev/null | head -1)}"
[[ -n "$BRIDGE_JAR" ]] || tu_die "no bridge jar: ./mvnw -B -q package -DskipTests -pl messaging-bridge -am"
for port in "$RABBIT_PORT" "$RABBIT_DIST_PORT" "$BRIDGE_PORT" "$BRIDGE_MANAGEMENT_PORT"; do
  ! tu_port_open "$HOST" "$port" || tu_die "port $port is in use"
done
# shellcheck disable=SC1091
source "$STATE/infra/versions.env" 2>/dev/null || true
KAFKA_LIBS="$CACHE/kafka-${TU_KAFKA_VERSION:-4.1.2}/libs"
[[ -d "$KAFKA_LIBS" ]] || tu_die "no Kafka jars in $KAFKA_LIBS: scripts/infra.sh up"

# ---------------------------------------------------------------------------------------------
# PerfTest (Maven Central's jar is not self-contained: its dependencies are copied beside it)

PERF_DIR="$CACHE/perf-test-$PERF_TEST_VERSION"
fetch_perf_test() {
  [[ -f "$PERF_DIR/.complete" ]] && return 0
  tu_log "fetching RabbitMQ PerfTest $PERF_TEST_VERSION with Maven into $PERF_DIR"
  mkdir -p "$PERF_DIR"
  cat > "$PERF_DIR/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.tu.bench</groupId>
  <artifactId>perf-test-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>com.rabbitmq</groupId><artifactId>perf-test</artifactId><version>$PERF_TEST_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  rm -rf "${PERF_DIR:?}/lib"
  JAVA_HOME="$(tu_java_home)" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    "$ROOT/mvnw" -B -q -f "$PERF_DIR/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$PERF_DIR/lib" >&2
  touch "$PERF_DIR/.complete"
}

# ---------------------------------------------------------------------------------------------
# The helper: produce to Kafka, consume and time on RabbitMQ, delete the topic (Java, source launcher)

write_helper() {
  cat > "$WORK/BenchHelper.java" <<'EOF'
import com.rabbitmq.client.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.*;

/** bench-bridge.sh's helper: produce | consume | delete-topic. Prints key=value lines on stdout. */
public class BenchHelper {
    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "produce" -> produce(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            case "consume" -> consume(a[1], Integer.parseInt(a[2]), a[3], a[4], a[5], Integer.parseInt(a[6]), a[7]);
            case "delete-topic" -> {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, a[1]))) {
                    admin.deleteTopics(List.of(a[2])).all().get();
                }
            }
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    /** A fresh topic (6 partitions), then COUNT records whose value is exactly SIZE bytes of JSON. */
    static void produce(String bootstrap, String topic, int count, int size) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String id = "bench-" + i;
                String head = "{\"imageId\":\"" + id + "\",\"tenant\":\"acme\",\"pad\":\"";
                String tail = "\"}";
                byte[] value = (head + "x".repeat(Math.max(0, size - head.length() - tail.length())) + tail)
                        .getBytes(StandardCharsets.UTF_8);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, id, value);
                header(record, "ce_id", id);
                header(record, "ce_type", topic);
                header(record, "ce_source", "/tu/bench");
                header(record, "ce_specversion", "1.0");
                header(record, "ce_subject", id);
                header(record, "ce_tenant", "acme");
                header(record, "ce_time", "2026-01-01T00:00:00Z");
                header(record, "ce_datacontenttype", "application/json");
                header(record, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
                producer.send(record);
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "produced=%d value_bytes=%d seconds=%.3f%n", count, size,
                (System.nanoTime() - t0) / 1e9);
    }

    static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Declares a quorum queue bound to EXCHANGE with ROUTING_KEY, writes READY_FILE, then consumes
     * until COUNT distinct ids arrived: prints the first and last arrival (epoch ms) and the rate.
     */
    static void consume(String host, int port, String exchange, String routingKey, String queue, int count,
            String readyFile) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        try (Connection connection = factory.newConnection("bench-consumer")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(exchange, "topic", true, false, Map.of("alternate-exchange", "tu.unrouted"));
            channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            channel.queuePurge(queue);
            channel.queueBind(queue, exchange, routingKey);
            channel.basicQos(1000);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            long[] firstLast = {0, 0};
            int[] deliveries = {0};
            CountDownLatch done = new CountDownLatch(1);
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    long now = System.currentTimeMillis();
                    if (firstLast[0] == 0) {
                        firstLast[0] = now;
                    }
                    deliveries[0]++;
                    if (seen.add(props.getMessageId()) && seen.size() == count) {
                        firstLast[1] = now;
                        done.countDown();
                    }
                    if (deliveries[0] % 100 == 0 || seen.size() == count) {
                        getChannel().basicAck(envelope.getDeliveryTag(), true);
                    }
                }
            });
            java.nio.file.Files.writeString(java.nio.file.Path.of(readyFile), "ready\n");
            done.await();
            double seconds = (firstLast[1] - firstLast[0]) / 1000.0;
            System.out.printf(Locale.ROOT, "first_ms=%d last_ms=%d delivered=%d unique=%d seconds=%.3f rate=%.1f%n",
                    firstLast[0], firstLast[1], deliveries[0], seen.size(), seconds, (count - 1) / seconds);
        }
    }
}
EOF
}

# kafka-clients and amqp-client, no logging binding (the helper prints what it measured, nothing else).
helper() {
  local -a jars=("$KAFKA_LIBS"/kafka-clients-*.jar "$KAFKA_LIBS"/slf4j-api-*.jar "$PERF_DIR"/lib/amqp-client-*.jar)
  local cp
  cp="$(IFS=:; printf '%s' "${jars[*]}")"
  "$JAVA" -XX:+UseSerialGC -Xmx512m -Djava.net.preferIPv4Stack=true -cp "$cp" \
    "$WORK/BenchHelper.java" "$@" 2> >(grep -v 'SLF4J' >&2)
}

# ---------------------------------------------------------------------------------------------
# The private node (the same recipe as test-support's PrivateRabbitNode)

start_node() {
  local dir="$WORK/rabbit" deadline
  mkdir -p "$dir/home" "$dir/data" "$dir/log"
  cat > "$dir/rabbitmq.conf" <<EOF
# bench-bridge.sh: a private node, loopback only, no plugins.
listeners.tcp.local = $HOST:$RABBIT_PORT
loopback_users.guest = true
log.console = false
EOF
  echo '[].' > "$dir/enabled_plugins"
  echo '# bench-bridge.sh: empty on purpose (not /etc/rabbitmq/rabbitmq-env.conf)' > "$dir/rabbitmq-env.conf"
  (
    cd "$dir"
    exec env -u NODENAME -u CONFIG_FILE HOME="$dir/home" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
      RABBITMQ_NODENAME="$NODE" RABBITMQ_NODE_IP_ADDRESS="$HOST" RABBITMQ_NODE_PORT="$RABBIT_PORT" \
      RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
      RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/data" \
      RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/node.pid" ERL_EPMD_ADDRESS="$HOST" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      "$RABBIT_SCRIPTS/rabbitmq-server" > "$dir/node.out" 2>&1 < /dev/null
  ) &
  NODE_WRAPPER_PID=$!
  deadline=$((SECONDS + 90))
  until tu_port_open "$HOST" "$RABBIT_PORT"; do
    kill -0 "$NODE_WRAPPER_PID" 2>/dev/null || { tail -20 "$dir/node.out" >&2; tu_die "RabbitMQ node exited"; }
    ((SECONDS < deadline)) || tu_die "RabbitMQ node not listening after 90 s"
    sleep 0.2
  done
  tu_log "private RabbitMQ node $NODE on $HOST:$RABBIT_PORT (pid $(node_pid))"
}

# ---------------------------------------------------------------------------------------------
# CPU: where the two cores went during a measurement (from /proc; ticks of CLK_TCK)

HZ="$(getconf CLK_TCK)"
readonly HZ

proc_ticks() {   # utime+stime of PID, 0 once it is gone
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return 0; }
  stat="${stat##*) }"
  # shellcheck disable=SC2086
  set -- $stat
  echo $((${12} + ${13}))
}

# sample_line PID...: "<epoch ms> <machine busy ticks> <machine total ticks> <ticks of each PID>"
sample_line() {
  local -a cpu
  local busy total pid line
  read -r -a cpu < /proc/stat
  total=$((cpu[1] + cpu[2] + cpu[3] + cpu[4] + cpu[5] + cpu[6] + cpu[7] + cpu[8]))
  busy=$((total - cpu[4] - cpu[5]))
  line="$(($(date +%s%N) / 1000000)) $busy $total"
  for pid in "$@"; do line+=" $(proc_ticks "$pid")"; done
  printf '%s\n' "$line"
}

# cpu_between FILE FROM_MS TO_MS NAMES...: from the samples nearest the window's ends, the machine's
# busy share and each process's cores, e.g. "machine 97% busy; rabbitmq 1.02 cores; bridge 0.61 cores"
cpu_between() {
  local file="$1" from="$2" to="$3"
  shift 3
  awk -v from="$from" -v to="$to" -v hz="$HZ" -v names="$*" '
    { ms[NR] = $1; for (i = 2; i <= NF; i++) v[NR, i] = $i; n = NR; nf = NF }
    END {
      a = 1; b = n
      for (r = 1; r <= n; r++) { if (ms[r] <= from) a = r; if (ms[r] >= to && b == n) b = r }
      if (b <= a) { print "no CPU samples in the window"; exit }
      split(names, name, " ")
      dt = (ms[b] - ms[a]) / 1000
      printf "machine %.0f%% busy over %.1fs", 100 * (v[b, 2] - v[a, 2]) / (v[b, 3] - v[a, 3]), dt
      for (i = 4; i <= nf; i++) printf "; %s %.2f cores", name[i - 3], (v[b, i] - v[a, i]) / hz / dt
      printf "\n"
    }' "$file"
}

# ---------------------------------------------------------------------------------------------
# PerfTest runs

PERF_LOG="$WORK/perf-test.log"
perf_test() {   # perf_test LABEL ARGS...: prints "<sending avg> <receiving avg>" (msg/s); CPU to $WORK/cpu-LABEL.txt
  local label="$1" out pid samples t0
  shift
  out="$WORK/perf-test-$label.out"
  samples="$WORK/cpu-samples-$label.txt"
  "$JAVA" -XX:+UseParallelGC -Xmx1g -cp "$PERF_DIR/lib/*" com.rabbitmq.perf.PerfTest \
    --uri "amqp://guest:guest@$HOST:$RABBIT_PORT" --id "$label" \
    --confirm "$CONFIRM" --size "$SIZE" -x 1 -y 1 --time "$PERF_SECONDS" "$@" > "$out" 2>&1 &
  pid=$!
  t0=$(($(date +%s%N) / 1000000))
  while kill -0 "$pid" 2>/dev/null; do
    sample_line "$(node_pid)" "$pid" >> "$samples"
    sleep 0.25
  done
  wait "$pid" || true
  # The middle of the run: PerfTest's start-up and its last second are left out.
  cpu_between "$samples" $((t0 + 2000)) $((t0 + PERF_SECONDS * 1000)) rabbitmq perftest > "$WORK/cpu-$label.txt"
  cat "$out" >> "$PERF_LOG"
  printf '%s %s\n' \
    "$(sed -n 's/.*sending rate avg: \([0-9]*\) msg\/s.*/\1/p' "$out" | tail -1)" \
    "$(sed -n 's/.*receiving rate avg: \([0-9]*\) msg\/s.*/\1/p' "$out" | tail -1)"
}

# ---------------------------------------------------------------------------------------------
# The bridge

# The env file with ${TU_...} filled from infra.env, as the harness does; then the bench's overrides.
bridge_env() {
  local line key value var
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]] || continue
    key="${line%%=*}"
    value="${line#*=}"
    while [[ "$value" =~ \$\{([A-Z0-9_]+)\} ]]; do
      var="${BASH_REMATCH[1]}"
      value="${value//\$\{$var\}/${!var:-}}"
    done
    printf '%s=%s\n' "$key" "$value"
  done < "$ROOT/deploy/env/messaging-bridge.env"
  cat <<EOF
SERVER_PORT=$BRIDGE_PORT
MANAGEMENT_SERVER_PORT=$BRIDGE_MANAGEMENT_PORT
SPRING_RABBITMQ_HOST=$HOST
SPRING_RABBITMQ_PORT=$RABBIT_PORT
SPRING_KAFKA_CONSUMER_GROUPID=bridge-bench-$RUN_ID
SPRING_KAFKA_CONSUMER_AUTOOFFSETRESET=earliest
SPRING_KAFKA_CONSUMER_MAXPOLLRECORDS=$CONFIRM
TU_BRIDGE_ROUTES_0_DIRECTION=KAFKA_TO_RABBIT
TU_BRIDGE_ROUTES_0_TOPIC=$TOPIC
TU_BRIDGE_ROUTES_0_EXCHANGE=tu.events
EOF
  if [[ -n "${BENCH_BRIDGE_ENV:-}" ]]; then
    tr ' ' '\n' <<< "$BENCH_BRIDGE_ENV"
  fi
}

# The harness's JVM flags without -XX:TieredStopAtLevel=1 (a start-up trick for tests that costs
# steady-state speed); BENCH_BRIDGE_JVM replaces them.
bridge_jvm_options() {
  if [[ -n "${BENCH_BRIDGE_JVM:-}" ]]; then
    printf '%s\n' "$BENCH_BRIDGE_JVM"
  else
    sed 's/-XX:TieredStopAtLevel=1//' "$ROOT/deploy/env/jvm.options"
  fi
}

start_bridge() {
  local -a env_args jvm
  mapfile -t env_args < <(bridge_env)
  read -r -a jvm <<< "$(bridge_jvm_options)"
  env "${env_args[@]}" "$JAVA" "${jvm[@]}" -jar "$BRIDGE_JAR" > "$WORK/bridge.log" 2>&1 < /dev/null &
  BRIDGE_PID=$!
  tu_log "messaging-bridge started (pid $BRIDGE_PID, log $WORK/bridge.log)"
}

# ---------------------------------------------------------------------------------------------
# Run

fetch_perf_test
write_helper
tu_log "work directory $WORK"
start_node

tu_log "PerfTest: persistent, mandatory, quorum queue, confirm $CONFIRM, $SIZE bytes, ${PERF_SECONDS}s"
read -r PERF_SEND PERF_RECV < <(perf_test quorum-persistent --quorum-queue --queue tu.bench.perftest.quorum --flag mandatory)
tu_log "PerfTest: transient, classic queue (reference), ${PERF_SECONDS}s"
read -r REF_SEND REF_RECV < <(perf_test classic-transient --queue tu.bench.perftest.classic --auto-delete true)
[[ -n "$PERF_SEND" && -n "$REF_SEND" ]] || tu_die "no PerfTest summary (see $PERF_LOG)"
tu_log "PerfTest: like for like sent $PERF_SEND msg/s; reference sent $REF_SEND msg/s"

tu_log "producing $RECORDS records of $SIZE bytes to $TOPIC"
PRODUCED="$(helper produce "$KAFKA_BOOTSTRAP" "$TOPIC" "$RECORDS" "$SIZE")"
TOPIC_CREATED=1
tu_log "$PRODUCED"

rm -f "$WORK/consumer.ready"
helper consume "$HOST" "$RABBIT_PORT" tu.events "$TOPIC" "$QUEUE" "$RECORDS" "$WORK/consumer.ready" \
  > "$WORK/consumer.out" &
CONSUMER_PID=$!
deadline=$((SECONDS + 60))
until [[ -f "$WORK/consumer.ready" ]]; do
  kill -0 "$CONSUMER_PID" 2>/dev/null || tu_die "the bench consumer exited: $(cat "$WORK/consumer.out")"
  ((SECONDS < deadline)) || tu_die "the bench consumer is not ready after 60 s"
  sleep 0.1
done
CONSUMER_JAVA_PID="$(pgrep -P "$CONSUMER_PID" java | head -1 || true)"

# Kafka's broker, when scripts/infra.sh started it (for the CPU breakdown only)
KAFKA_PID="$(tr -dc '0-9' 2>/dev/null < "$STATE/pids/kafka.pid" || true)"
KAFKA_PID="${KAFKA_PID:-0}"
BRIDGE_STARTED_MS=$(($(date +%s%N) / 1000000))
start_bridge
deadline=$((SECONDS + ${BENCH_TIMEOUT_S:-900}))
NODE_PID="$(node_pid)"
while kill -0 "$CONSUMER_PID" 2>/dev/null; do
  kill -0 "$BRIDGE_PID" 2>/dev/null || { tail -30 "$WORK/bridge.log" >&2; tu_die "the bridge exited"; }
  ((SECONDS < deadline)) || tu_die "not all $RECORDS records arrived within ${BENCH_TIMEOUT_S:-900}s"
  sample_line "$NODE_PID" "$BRIDGE_PID" "$KAFKA_PID" "${CONSUMER_JAVA_PID:-0}" >> "$WORK/cpu-samples-bridge.txt"
  sleep 0.25
done
wait "$CONSUMER_PID" || tu_die "the bench consumer failed: $(cat "$WORK/consumer.out")"
CONSUMER_PID=""
CONSUMER_JAVA_PID=""
RESULT="$(cat "$WORK/consumer.out")"
# The bridge's own view: Spring Kafka's listener timer (one observation per batch) and its counters.
curl -fsS --max-time 5 "http://$HOST:$BRIDGE_MANAGEMENT_PORT/actuator/prometheus" > "$WORK/bridge-metrics.txt" || true
metric() { awk -v m="$1" '$1 ~ "^"m"[{]" && $1 ~ /result="success"/ { s += $2 } END { printf "%s", s + 0 }' "$WORK/bridge-metrics.txt"; }
BATCHES="$(metric spring_kafka_listener_seconds_count)"
LISTENER_S="$(metric spring_kafka_listener_seconds_sum)"
# CPU seconds the bridge used (utime+stime of its JVM, /proc), start-up included
BRIDGE_CPU="$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$BRIDGE_PID/stat")"
stop_pid "$BRIDGE_PID" 30
BRIDGE_PID=""

field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<< "$RESULT"; }
BRIDGE_RATE="$(field rate)"
FIRST_MS="$(field first_ms)"
BRIDGE_CPU_WINDOW="$(cpu_between "$WORK/cpu-samples-bridge.txt" "$FIRST_MS" "$(field last_ms)" rabbitmq bridge kafka consumer)"

echo
echo "== bridge benchmark $RUN_ID ($(nproc) cores, $(uname -r), RabbitMQ $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null), Kafka ${TU_KAFKA_VERSION:-?})"
printf 'perftest (persistent, mandatory, quorum, confirm %s, %s B): sent %s msg/s, received %s msg/s\n' \
  "$CONFIRM" "$SIZE" "$PERF_SEND" "$PERF_RECV"
printf 'perftest reference (transient, classic, confirm %s, %s B):   sent %s msg/s, received %s msg/s\n' \
  "$CONFIRM" "$SIZE" "$REF_SEND" "$REF_RECV"
printf 'bridge kafka->rabbit (%s records, %s B, max.poll.records %s): %s\n' "$RECORDS" "$SIZE" "$CONFIRM" "$RESULT"
printf 'bridge: start to first message %s ms; CPU seconds of the bridge JVM %s\n' \
  "$((FIRST_MS - BRIDGE_STARTED_MS))" "$BRIDGE_CPU"
printf 'cpu, perftest run:  %s\n' "$(cat "$WORK/cpu-quorum-persistent.txt")"
printf 'cpu, bridge window: %s\n' "$BRIDGE_CPU_WINDOW"
awk -v n="$BATCHES" -v s="$LISTENER_S" -v w="$(field seconds)" 'BEGIN {
  if (n > 0) printf "bridge listener: %d batches, %.1f records per batch, %.2f ms per batch inside the listener, %.0f%% of the first-to-last window\n", n, '"$RECORDS"' / n, 1000 * s / n, 100 * s / w
}'
awk -v b="$BRIDGE_RATE" -v p="$PERF_SEND" -v r="$REF_SEND" 'BEGIN {
  printf "ratio bridge / perftest (like for like): %.3f  (target >= 0.80: %s)\n", b / p, (b / p >= 0.8 ? "met" : "NOT met")
  printf "ratio bridge / perftest reference:       %.3f\n", b / r
}'
echo "logs: $WORK"

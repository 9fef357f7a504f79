#!/usr/bin/env bash
# Local infrastructure for development and tests, as plain processes (there is no Docker here).
#
#   scripts/infra.sh up       start what is missing (idempotent; seconds when all is up)
#   scripts/infra.sh down     stop what `up` started (by pid file); never the machine's PostgreSQL
#                             or RabbitMQ
#   scripts/infra.sh status   one line per component; exit 3 if any is down
#   scripts/infra.sh check    end-to-end smoke test: tokens, Kafka round trip, S3 PUT/GET
#   scripts/infra.sh tools    install the Debian tools that tests need (scripts/test-tools.txt)
#
# Everything binds 127.0.0.1. Ports are those of BRIEF 8b. Addresses for the services are written
# to $(tu_state_dir)/infra.env. Downloads (via Maven, infra/pom.xml) are cached in $(tu_cache_dir).
#
# PostgreSQL and RabbitMQ are the machine's: reused when they answer, otherwise installed with
# apt-get (as root) and started. Kafka, s3proxy, Keycloak and Zipkin are started by this script.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ROOT="$(tu_root)"
STATE="$(tu_state_dir)"
CACHE="$(tu_cache_dir)"
LOGS="$STATE/logs"
mkdir -p "$LOGS"

readonly HOST=127.0.0.1
readonly PG_PORT=5432
readonly RABBIT_PORT=5672
readonly KAFKA_PORT=9092
readonly S3_PORT=8280
readonly KC_PORT=8180
readonly KC_MANAGEMENT_PORT=9180
readonly ZIPKIN_PORT=9411
readonly KC_REALM=tu
readonly S3_URL="http://$HOST:$S3_PORT"
readonly KC_URL="http://$HOST:$KC_PORT"
readonly ZIPKIN_URL="http://$HOST:$ZIPKIN_PORT"
readonly ISSUER="$KC_URL/realms/$KC_REALM"
readonly REALM_PROBE_URL="$ISSUER/.well-known/openid-configuration"

# DEV-ONLY credentials: they only protect loopback servers on a developer's machine or CI.
readonly S3_ACCESS_KEY=tu-dev-access
readonly S3_SECRET_KEY=dev-only-secret-key
readonly KC_ADMIN_USER=tu-kc-admin              # master realm admin (admin console), dev-only
readonly KC_ADMIN_PASSWORD=dev-only-kc-admin
# role:password:database... (dev-only passwords; the services' local profiles use the same)
readonly PG_ROLES=(
  "tu_ingestion:dev-only-ingestion:tu_ingestion tu_ingestion_test"
  "tu_orchestrator:dev-only-orchestrator:tu_orchestrator tu_orchestrator_test"
)
readonly S3_BUCKETS=(tu-images tu-images-test)

# ---------------------------------------------------------------------------------------------
# Step timing

now_ms() {
  local us="${EPOCHREALTIME//[!0-9]/}"
  printf '%s' $((us / 1000))
}

CURRENT_STEP=""
on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -n "$CURRENT_STEP" ]]; then
    tu_log "FAILED in step: $CURRENT_STEP (logs: $LOGS)"
  fi
}
trap on_exit EXIT

# step LABEL CMD...: runs CMD, prints how long it took. A failure exits (set -e) via on_exit.
step() {
  local label="$1" t0
  shift
  CURRENT_STEP="$label"
  t0="$(now_ms)"
  "$@"
  printf '[tu] %-28s %6.1fs\n' "$label" "$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN{print ms/1000}')" >&2
  CURRENT_STEP=""
}

# ---------------------------------------------------------------------------------------------
# Tools

apt_install() {
  if ((EUID != 0)); then
    tu_die "missing packages: run as root: apt-get install -y $*"
  fi
  tu_log "installing with apt-get: $*"
  if [[ -z "${_APT_UPDATED:-}" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  # confold: keep the loopback-only config files we may have written before installing.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >&2
}

java_bin() {
  local home
  home="$(tu_java_home)" || exit 1
  printf '%s/bin/java\n' "$home"
}

# Maven with JDK 25: the repo's wrapper when there is one, else the machine's mvn.
run_maven() {
  local mvn java_home
  java_home="$(tu_java_home)" || exit 1
  if [[ -x "$ROOT/mvnw" ]]; then
    mvn="$ROOT/mvnw"
  elif command -v mvn >/dev/null; then
    mvn=mvn
  else
    apt_install maven
    mvn=mvn
  fi
  # --sun-misc-unsafe-memory-access: Maven's Guava warns on every run under JDK 24+.
  JAVA_HOME="$java_home" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    "$mvn" -B -q -Dstyle.color=never -f "$ROOT/infra/pom.xml" -Dtu.cache.dir="$CACHE" "$@" >&2
}

# ---------------------------------------------------------------------------------------------
# Versions and downloads

# The versions come from the poms (Boot's kafka.version, tu-parent's s3proxy/keycloak versions).
# Asking Maven costs seconds, so the answer is kept until one of the poms changes.
POM_KEY=""
load_versions() {
  local file="$STATE/infra/versions.env"
  POM_KEY="$(cat "$ROOT/pom.xml" "$ROOT/infra/pom.xml" "$ROOT/infra/versions.env" | sha256sum | cut -c1-16)"
  if [[ ! -r "$file" ]] || ! grep -qx "TU_INFRA_POM_KEY=$POM_KEY" "$file"; then
    tu_log "resolving versions from the poms (Maven)"
    mkdir -p "$STATE/infra"
    rm -f "$file"
    run_maven resources:copy-resources@versions -Dtu.versions.file.dir="$STATE/infra"
    echo "TU_INFRA_POM_KEY=$POM_KEY" >> "$file"
  fi
  # shellcheck disable=SC1090
  source "$file"
  KAFKA_HOME="$CACHE/kafka-$TU_KAFKA_VERSION"
  S3PROXY_JAR="$CACHE/s3proxy-$TU_S3PROXY_VERSION/s3proxy.jar"
  KC_HOME="$CACHE/keycloak-$TU_KEYCLOAK_VERSION"
  ZIPKIN_JAR="$CACHE/zipkin-$TU_ZIPKIN_VERSION/zipkin.jar"
}

# Fetches what is not in the cache yet, in one Maven run. Markers make a half-finished download
# (interrupted run) count as missing. The Kafka jars' marker names what resolved them (infra/pom.xml
# and the Kafka version), so editing the root pom does not refetch them.
fetch_artifacts() {
  local -a goals=()
  local kafka_key
  kafka_key="$( (cat "$ROOT/infra/pom.xml"; echo "$TU_KAFKA_VERSION") | sha256sum | cut -c1-16)"
  if [[ "$(cat "$KAFKA_HOME/.complete" 2>/dev/null)" != "$kafka_key" ]]; then
    if tu_is_running kafka; then
      tu_log "infra/pom.xml changed while Kafka runs: 'down' then 'up' to refetch its jars"
    else
      rm -rf "$KAFKA_HOME/libs" "$KAFKA_HOME/.complete"   # no stale jars from an older pom
      goals+=(dependency:copy-dependencies@kafka)
    fi
  fi
  [[ -f "$S3PROXY_JAR" ]] || goals+=(dependency:copy@s3proxy)
  [[ -f "$ZIPKIN_JAR" ]] || goals+=(dependency:copy@zipkin)
  [[ -f "$KC_HOME/.complete" ]] || goals+=(dependency:copy@keycloak)
  if ((${#goals[@]} == 0)); then
    return 0
  fi
  tu_log "fetching with Maven into $CACHE: ${goals[*]}"
  run_maven "${goals[@]}"
  if [[ " ${goals[*]} " == *"@kafka "* ]]; then
    echo "$kafka_key" > "$KAFKA_HOME/.complete"
  fi
  if [[ " ${goals[*]} " == *"@keycloak "* ]]; then
    unpack_keycloak
  fi
}

unpack_keycloak() {
  local archive="$CACHE/downloads/keycloak-quarkus-dist.tar.gz" tmp
  tmp="$(mktemp -d "$CACHE/.unpack.XXXXXX")"
  tar -xzf "$archive" -C "$tmp"
  rm -rf "$KC_HOME"
  mv "$tmp/keycloak-$TU_KEYCLOAK_VERSION" "$KC_HOME"
  rmdir "$tmp"
  rm -f "$archive"   # Maven's local repository keeps the original
  touch "$KC_HOME/.complete"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL (the machine's)

start_postgres_clusters() {
  local ver name port status
  if ! command -v pg_lsclusters >/dev/null; then
    apt_install postgresql
  fi
  if [[ -z "$(pg_lsclusters -h 2>/dev/null)" ]]; then
    ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -1)"
    tu_log "no PostgreSQL cluster: creating $ver/main"
    pg_createcluster "$ver" main -p "$PG_PORT" >&2
  fi
  while read -r ver name port status _; do
    [[ "$port" == "$PG_PORT" && "$status" != online* ]] || continue
    tu_log "starting PostgreSQL cluster $ver/$name (as postgres, loopback only)"
    # PostgreSQL refuses to run as root. listen_addresses on the command line: the cluster's
    # config files stay as the machine has them.
    runuser -u postgres -- pg_ctlcluster --skip-systemctl-redirect \
      -o "-c listen_addresses=$HOST" "$ver" "$name" start >&2
  done < <(pg_lsclusters -h)
}

# Runs SQL (stdin) as the superuser: over TCP where the machine trusts 127.0.0.1 (this one does),
# else through the socket as the postgres OS user (peer auth, Debian's default).
pg_admin() {
  if PGCONNECT_TIMEOUT=3 psql -w -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' \
    >/dev/null 2>&1; then
    psql -w -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq
  else
    runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq
  fi
}

ensure_postgres() {
  if tu_port_open "$HOST" "$PG_PORT"; then
    tu_log "PostgreSQL already answers on $HOST:$PG_PORT: reusing it"
  else
    start_postgres_clusters
    tu_wait_port "$HOST" "$PG_PORT" 60
  fi
  pg_admin <<< "$(pg_setup_sql)"
}

# Roles (passwords re-set every time so that they are always the dev-only ones) and databases.
pg_setup_sql() {
  local entry role pw dbs db
  for entry in "${PG_ROLES[@]}"; do
    IFS=: read -r role pw dbs <<< "$entry"
    cat <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$pw';
  ELSE
    ALTER ROLE $role LOGIN PASSWORD '$pw';
  END IF;
END \$\$;
SQL
    for db in $dbs; do
      echo "SELECT 'CREATE DATABASE $db OWNER $role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \\gexec"
    done
  done
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ (the machine's)

# Loopback-only settings, written before apt installs (and starts) the server. Existing files
# (a machine's own setup) are left alone.
write_rabbitmq_loopback_config() {
  mkdir -p /etc/rabbitmq
  if [[ ! -s /etc/rabbitmq/rabbitmq-env.conf ]] || ! grep -q '^ERL_EPMD_ADDRESS' /etc/rabbitmq/rabbitmq-env.conf; then
    cat >> /etc/rabbitmq/rabbitmq-env.conf <<'EOF'
# tu (scripts/infra.sh): loopback only, including epmd and the Erlang distribution port.
NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1
export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
  fi
  if [[ ! -e /etc/rabbitmq/rabbitmq.conf ]]; then
    cat > /etc/rabbitmq/rabbitmq.conf <<'EOF'
# tu (scripts/infra.sh): loopback only.
listeners.tcp.local = 127.0.0.1:5672
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
EOF
  fi
}

ensure_rabbitmq() {
  if tu_port_open "$HOST" "$RABBIT_PORT"; then
    tu_log "RabbitMQ already answers on $HOST:$RABBIT_PORT: reusing it"
  else
    if ! command -v rabbitmq-server >/dev/null; then
      ((EUID == 0)) || tu_die "RabbitMQ missing: run as root: apt-get install -y rabbitmq-server"
      write_rabbitmq_loopback_config
      apt_install rabbitmq-server
    fi
    if ! tu_port_open "$HOST" "$RABBIT_PORT"; then
      tu_log "starting RabbitMQ (rabbitmq-server -detached)"
      rabbitmq-server -detached >&2
    fi
    tu_wait_port "$HOST" "$RABBIT_PORT" 90
  fi
  maybe_enable_rabbitmq_management
}

# The management UI is nice to have, not needed. Enabled only where the config pins its listener
# to loopback: on a machine whose config does not, it would listen on every interface.
maybe_enable_rabbitmq_management() {
  if grep -qs 'rabbitmq_management' /etc/rabbitmq/enabled_plugins; then
    return 0
  fi
  if grep -qsE '^\s*management\.tcp\.ip\s*=\s*127\.0\.0\.1' /etc/rabbitmq/rabbitmq.conf && ((EUID == 0)); then
    tu_log "enabling rabbitmq_management (bound to 127.0.0.1:15672)"
    rabbitmq-plugins enable rabbitmq_management --online >&2 ||
      tu_log "could not enable rabbitmq_management (not needed; continuing)"
  else
    tu_log "rabbitmq_management not enabled: this machine's rabbitmq.conf does not bind it to 127.0.0.1"
  fi
}

# ---------------------------------------------------------------------------------------------
# Kafka (ours): standalone KRaft broker+controller from the Maven jars

KAFKA_DIR="$STATE/kafka"

# kafka_java_cmd LOG4J2_XML: sets KAFKA_JAVA, the JVM command line shared by the broker and the
# tools (JDK 25, the cached jars). An array, because tu_start_bg needs a command, not a function.
kafka_java_cmd() {
  KAFKA_JAVA=("$(java_bin)" -Xms128m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true
    --sun-misc-unsafe-memory-access=allow
    -Dlog4j2.configurationFile="$ROOT/infra/kafka/$1"
    -cp "$KAFKA_HOME/libs/*")
}

# Runs a Kafka tool class (warnings only, on stderr).
kafka_java() {
  kafka_java_cmd tools-log4j2.xml
  "${KAFKA_JAVA[@]}" "$@"
}

render_kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  sed "s#@KAFKA_DATA_DIR@#$KAFKA_DIR/data#g" "$ROOT/infra/kafka/server.properties" \
    > "$KAFKA_DIR/server.properties"
}

# Formats the storage once: a single-voter dynamic quorum (--standalone) with a fresh cluster id.
format_kafka_storage() {
  local cluster_id
  [[ -f "$KAFKA_DIR/data/meta.properties" ]] && return 0
  cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$LOGS/kafka.log" | tail -1)"
  tu_log "formatting Kafka storage (cluster id $cluster_id)"
  kafka_java kafka.tools.StorageTool format --standalone -t "$cluster_id" \
    -c "$KAFKA_DIR/server.properties" >>"$LOGS/kafka.log" 2>&1
}

start_kafka() {
  if tu_is_running kafka; then
    tu_log "Kafka already running (ours)"
  elif tu_port_open "$HOST" "$KAFKA_PORT"; then
    tu_log "something already answers on $HOST:$KAFKA_PORT (not started by this script): reusing it"
  else
    render_kafka_config
    format_kafka_storage
    kafka_java_cmd log4j2.xml
    KAFKA_LOG_OFFSET="$(stat -c %s "$LOGS/kafka.log" 2>/dev/null || echo 0)"
    tu_start_bg kafka "$LOGS/kafka.log" "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties"
  fi
}

# The port is bound before the broker serves requests: when we just started it, also wait for
# its "started" line (in the part of the log this start wrote: the file is appended to).
KAFKA_LOG_OFFSET=""
wait_kafka() {
  tu_wait_port "$HOST" "$KAFKA_PORT" 90 "$(tu_is_running kafka && echo kafka)"
  [[ -n "$KAFKA_LOG_OFFSET" ]] || return 0
  local deadline=$((SECONDS + 60))
  until tail -c +$((KAFKA_LOG_OFFSET + 1)) "$LOGS/kafka.log" | grep -q 'Kafka Server started'; do
    ((SECONDS < deadline)) || { tu_log "Kafka: no 'started' line after 60 s, continuing"; return 0; }
    tu_is_running kafka || { tu_log "Kafka exited"; tu_log_tail kafka 30; return 1; }
    sleep 0.3
  done
}

# ---------------------------------------------------------------------------------------------
# s3proxy (ours): S3 API over a directory; each top-level directory is a bucket

S3_DIR="$STATE/s3proxy"

# curl with SigV4. curl 7.88 does not send x-amz-content-sha256, which S3 requires.
s3_curl() {
  curl -s --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"
}

start_s3proxy() {
  local bucket
  mkdir -p "$S3_DIR/data"
  for bucket in "${S3_BUCKETS[@]}"; do
    mkdir -p "$S3_DIR/data/$bucket"
  done
  if tu_is_running s3proxy; then
    tu_log "s3proxy already running (ours)"
  elif tu_port_open "$HOST" "$S3_PORT"; then
    tu_log "something already answers on $HOST:$S3_PORT (not started by this script): reusing it"
  else
    sed "s#@S3_DATA_DIR@#$S3_DIR/data#g" "$ROOT/infra/s3proxy/s3proxy.properties" \
      > "$S3_DIR/s3proxy.properties"
    tu_start_bg s3proxy "$LOGS/s3proxy.log" \
      "$(java_bin)" -Xms32m -Xmx256m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true \
      -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
      -jar "$S3PROXY_JAR" --properties "$S3_DIR/s3proxy.properties"
  fi
}

# Anonymous requests get 403, so readiness is a signed ListBuckets.
wait_s3proxy() {
  local deadline=$((SECONDS + 60)) code
  tu_wait_port "$HOST" "$S3_PORT" 60 "$(tu_is_running s3proxy && echo s3proxy)"
  while ((SECONDS < deadline)); do
    code="$(s3_curl -o /dev/null -w '%{http_code}' "$S3_URL/" || true)"
    [[ "$code" == 200 ]] && return 0
    sleep 0.3
  done
  tu_die "s3proxy at $S3_URL does not accept the dev credentials (HTTP $code)"
}

# ---------------------------------------------------------------------------------------------
# Zipkin (ours): the local trace store and UI, in memory; the services send it Zipkin-format spans

start_zipkin() {
  if tu_is_running zipkin; then
    tu_log "Zipkin already running (ours)"
  elif tu_port_open "$HOST" "$ZIPKIN_PORT"; then
    tu_log "something already answers on $HOST:$ZIPKIN_PORT (not started by this script): reusing it"
  else
    tu_start_bg zipkin "$LOGS/zipkin.log" \
      env MEM_MAX_SPANS=100000 "$(java_bin)" -Xms64m -Xmx512m -XX:+UseSerialGC -jar "$ZIPKIN_JAR" \
      --armeria.ports[0].ip="$HOST" --armeria.ports[0].port="$ZIPKIN_PORT" --armeria.ports[0].protocols[0]=http \
      --logging.level.root=WARN
  fi
}

wait_zipkin() {
  tu_wait_http "$ZIPKIN_URL/health" 90 "$(tu_is_running zipkin && echo zipkin)"
}

# ---------------------------------------------------------------------------------------------
# Keycloak (ours): start-dev, in-memory database, realm imported from the repo on every start

start_keycloak() {
  if tu_is_running keycloak; then
    tu_log "Keycloak already running (ours)"
    return 0
  elif tu_port_open "$HOST" "$KC_PORT"; then
    tu_log "something already answers on $HOST:$KC_PORT (not started by this script): reusing it"
    return 0
  fi
  # --import-realm only reads <dist>/data/import. dev-mem means a fresh import on each start.
  mkdir -p "$KC_HOME/data/import"
  rm -f "$KC_HOME/data/import/"*.json
  cp "$ROOT/infra/keycloak/tu-realm.json" "$KC_HOME/data/import/"
  # --hostname pins the issuer to $KC_URL even when called as localhost.
  # --http-management-port: the management interface only opens with health/metrics on, which
  # they are not; if it ever opens it stays off 9000 and, like http, on --http-host.
  JAVA_HOME="$(tu_java_home)" \
  JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
  JAVA_OPTS_APPEND="-Djava.net.preferIPv4Stack=true --sun-misc-unsafe-memory-access=allow" \
  KC_BOOTSTRAP_ADMIN_USERNAME="$KC_ADMIN_USER" \
  KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    tu_start_bg keycloak "$LOGS/keycloak.log" \
      "$KC_HOME/bin/kc.sh" start-dev \
      --http-host="$HOST" --http-port="$KC_PORT" --http-management-port="$KC_MANAGEMENT_PORT" \
      --hostname="$KC_URL" --db=dev-mem --import-realm
}

wait_keycloak() {
  tu_wait_http "$REALM_PROBE_URL" 180 "$(tu_is_running keycloak && echo keycloak)" ||
    tu_die "Keycloak realm '$KC_REALM' not served at $REALM_PROBE_URL"
}

# ---------------------------------------------------------------------------------------------
# infra.env

write_env() {
  local tmp="$STATE/infra.env.tmp"
  cat > "$tmp" <<EOF
# Written by scripts/infra.sh up. Local, dev-only addresses and credentials.
TU_POSTGRES_HOST=$HOST
TU_POSTGRES_PORT=$PG_PORT
TU_RABBITMQ_HOST=$HOST
TU_RABBITMQ_PORT=$RABBIT_PORT
TU_KAFKA_BOOTSTRAP=$HOST:$KAFKA_PORT
TU_S3_ENDPOINT=$S3_URL
TU_S3_ACCESS_KEY=$S3_ACCESS_KEY
TU_S3_SECRET_KEY=$S3_SECRET_KEY
TU_S3_REGION=us-east-1
TU_S3_BUCKET=tu-images
TU_S3_TEST_BUCKET=tu-images-test
TU_KEYCLOAK_URL=$KC_URL
TU_ISSUER_URI=$ISSUER
TU_KEYCLOAK_ADMIN_USER=$KC_ADMIN_USER
TU_KEYCLOAK_ADMIN_PASSWORD=$KC_ADMIN_PASSWORD
TU_ZIPKIN_URL=$ZIPKIN_URL
TU_ZIPKIN_ENDPOINT=$ZIPKIN_URL/api/v2/spans
EOF
  mv "$tmp" "$STATE/infra.env"
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_up() {
  local t0
  t0="$(now_ms)"
  step "versions" load_versions
  step "downloads" fetch_artifacts
  # The three JVMs start in parallel; PostgreSQL and RabbitMQ are handled while they boot.
  step "kafka: start" start_kafka
  step "s3proxy: start" start_s3proxy
  step "keycloak: start" start_keycloak
  step "zipkin: start" start_zipkin
  step "postgres (dbs, roles)" ensure_postgres
  step "rabbitmq" ensure_rabbitmq
  step "kafka: ready" wait_kafka
  step "s3proxy: ready" wait_s3proxy
  step "keycloak: ready (realm tu)" wait_keycloak
  step "zipkin: ready" wait_zipkin
  step "infra.env" write_env
  printf '[tu] %-28s %6.1fs\n' "up: total" "$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN{print ms/1000}')" >&2
  cmd_status || true
  tu_log "addresses: $STATE/infra.env"
}

cmd_down() {
  # Only what our pid files name: the machine's PostgreSQL and RabbitMQ are never touched.
  tu_stop zipkin 15
  tu_stop keycloak 30
  tu_stop s3proxy 15
  tu_stop kafka 30
}

status_line() {
  local name="$1" up="$2" url="$3" owner
  if tu_is_running "$name"; then
    owner="started by infra.sh, pid $(cat "$STATE/pids/$name.pid")"
  elif [[ "$up" == up ]]; then
    owner="not started by infra.sh (reused)"
  else
    owner=""
  fi
  printf '%-9s %-5s %-42s %s\n' "$name" "$up" "$url" "$owner"
}

cmd_status() {
  local down=0 s
  s=down; tu_port_open "$HOST" "$PG_PORT" && s=up
  [[ $s == up ]] || down=1
  printf '%-9s %-5s %-42s %s\n' postgres "$s" "postgresql://$HOST:$PG_PORT" "machine's"
  s=down; tu_port_open "$HOST" "$RABBIT_PORT" && s=up
  [[ $s == up ]] || down=1
  printf '%-9s %-5s %-42s %s\n' rabbitmq "$s" "amqp://$HOST:$RABBIT_PORT" "machine's"
  s=down; tu_port_open "$HOST" "$KAFKA_PORT" && s=up
  [[ $s == up ]] || down=1
  status_line kafka "$s" "$HOST:$KAFKA_PORT"
  s=down; tu_port_open "$HOST" "$S3_PORT" && s=up
  [[ $s == up ]] || down=1
  status_line s3proxy "$s" "$S3_URL"
  s=down; curl -fs -o /dev/null --max-time 3 "$REALM_PROBE_URL" && s=up
  [[ $s == up ]] || down=1
  status_line keycloak "$s" "$ISSUER"
  s=down; curl -fs -o /dev/null --max-time 3 "$ZIPKIN_URL/health" && s=up
  [[ $s == up ]] || down=1
  status_line zipkin "$s" "$ZIPKIN_URL"
  return $((down * 3))
}

# ---------------------------------------------------------------------------------------------
# check: end-to-end smoke test of what `up` provides

jwt_payload() {
  local p="${1#*.}"
  p="${p%%.*}"
  p="$(printf '%s' "$p" | tr '_-' '/+')"
  while (( ${#p} % 4 )); do p="$p="; done
  printf '%s' "$p" | base64 -d
}

# expect_claims LABEL JSON TENANT ROLE: checks iss, aud ∋ tu-api, tenant, roles ∋ ROLE.
expect_claims() {
  local label="$1" json="$2" tenant="$3" role="$4" ok=1 top
  # Keycloak's own realm_access.roles is there too: look at the top-level `roles` claim only.
  # shellcheck disable=SC2001 # a regex, not a glob
  top="$(sed 's/"realm_access":{[^}]*}//' <<< "$json")"
  grep -q "\"iss\":\"$ISSUER\"" <<< "$json" || { tu_log "$label: wrong iss"; ok=0; }
  grep -qE '"aud":(\[[^]]*"tu-api"[^]]*\]|"tu-api")' <<< "$json" || { tu_log "$label: aud lacks tu-api"; ok=0; }
  grep -q "\"tenant\":\"$tenant\"" <<< "$json" || { tu_log "$label: tenant is not $tenant"; ok=0; }
  grep -qE "\"roles\":\\[[^]]*\"$role\"" <<< "$top" || { tu_log "$label: roles lack $role"; ok=0; }
  printf '  %-22s iss=%s aud=%s tenant=%s roles=%s\n' "$label" \
    "$(grep -o '"iss":"[^"]*"' <<< "$json" | cut -d'"' -f4)" \
    "$(grep -oE '"aud":(\[[^]]*\]|"[^"]*")' <<< "$json" | cut -d: -f2-)" \
    "$(grep -o '"tenant":"[^"]*"' <<< "$json" | cut -d'"' -f4)" \
    "$(grep -oE '"roles":\[[^]]*\]' <<< "$top" | cut -d: -f2-)"
  ((ok))
}

token_for() {
  curl -fsS "$ISSUER/protocol/openid-connect/token" "$@" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4
}

check_tokens() {
  local t
  t="$(token_for -d grant_type=password -d client_id=tu-cli -d username=alice -d password=dev-only-alice)"
  expect_claims "alice (password)" "$(jwt_payload "$t")" acme tu-uploader
  t="$(token_for -d grant_type=password -d client_id=tu-cli -d username=bob -d password=dev-only-bob)"
  expect_claims "bob (password)" "$(jwt_payload "$t")" globex tu-uploader
  t="$(token_for -d grant_type=client_credentials -d client_id=tu-system -d client_secret=dev-only-tu-system-secret)"
  expect_claims "tu-system (client cred.)" "$(jwt_payload "$t")" acme tu-admin
}

# A throwaway topic per run (auto-creation is off): create, produce, consume it back, delete.
check_kafka() {
  local topic value out
  topic="tu.infra-check.$(date +%s)"
  value="check-$(date +%s%N)"
  local -a bs=(--bootstrap-server "$HOST:$KAFKA_PORT")
  kafka_java org.apache.kafka.tools.TopicCommand "${bs[@]}" \
    --create --topic "$topic" --partitions 1 --replication-factor 1 >/dev/null
  printf 'k1:%s\n' "$value" | kafka_java org.apache.kafka.tools.ConsoleProducer "${bs[@]}" \
    --topic "$topic" --property parse.key=true --property key.separator=:
  out="$(kafka_java org.apache.kafka.tools.consumer.ConsoleConsumer "${bs[@]}" --topic "$topic" \
    --from-beginning --max-messages 1 --timeout-ms 20000 --property print.key=true 2>/dev/null || true)"
  kafka_java org.apache.kafka.tools.TopicCommand "${bs[@]}" --delete --topic "$topic" >/dev/null
  grep -qF "$value" <<< "$out" || { tu_log "Kafka: message $value not consumed back (got '$out')"; return 1; }
  printf '  kafka: produced and consumed [%s] on %s (topic deleted)\n' "$(tr '\t' ' ' <<< "$out")" "$topic"
}

check_s3() {
  local key body="hello from infra.sh check" code got
  key="infra-check/$(date +%s%N).txt"
  # -T (not --data-binary): curl 7.88 signs a body hash that contradicts UNSIGNED-PAYLOAD.
  code="$(printf '%s' "$body" | s3_curl -o /dev/null -w '%{http_code}' -T - "$S3_URL/tu-images-test/$key")"
  [[ "$code" == 200 ]] || { tu_log "S3 PUT returned $code"; return 1; }
  got="$(s3_curl "$S3_URL/tu-images-test/$key")"
  [[ "$got" == "$body" ]] || { tu_log "S3 GET returned '$got'"; return 1; }
  code="$(curl -s -o /dev/null -w '%{http_code}' "$S3_URL/tu-images-test/$key")"
  [[ "$code" == 403 ]] || { tu_log "S3 anonymous GET returned $code, expected 403"; return 1; }
  s3_curl -o /dev/null -X DELETE "$S3_URL/tu-images-test/$key"
  printf '  s3: PUT+GET tu-images-test/%s ok, anonymous GET 403\n' "$key"
}

cmd_check() {
  load_versions
  step "check: tokens" check_tokens
  step "check: kafka round trip" check_kafka
  step "check: s3 put/get" check_s3
}

# The Debian tools tests drive (a browser, shellcheck, …): installed when their command is missing.
# Installs the packages of a "command package" list (default scripts/test-tools.txt) whose command is missing.
cmd_tools() {
  local list="${1:-$ROOT/scripts/test-tools.txt}" command package missing=()
  while read -r command package; do
    [[ -z "$command" || "$command" == \#* ]] && continue
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done <"$list"
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

case "${1:-}" in
  up) cmd_up ;;
  tools) cmd_tools "${2:-}" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  check) cmd_check ;;
  *)
    echo "usage: $0 up|down|status|check|tools [package list]" >&2
    exit 2
    ;;
esac

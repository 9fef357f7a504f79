#!/usr/bin/env bash
# The whole suite on a local kind cluster, in one command:
#   create the cluster → install the infrastructure from upstream charts/operators → build and load the
#   images → TLS secret → helm upgrade --install → wait → print where things are.
#
#   kind/up.sh            idempotent: run it again after a change (it upgrades the release)
#   kind/down.sh          deletes the cluster
#
# Needs docker, kind (v0.24 or newer: its network enforces NetworkPolicy), kubectl, helm 3 and openssl.
# Written for a machine with Docker; the project's machines have none, so this has not been run there
# (docs/kubernetes.md says what was and was not executed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIND_DIR="$ROOT/kind"
STATE="$KIND_DIR/.state"
CLUSTER="${TU_KIND_CLUSTER:-tu}"
# shellcheck source-path=SCRIPTDIR source=versions.env
source "$KIND_DIR/versions.env"

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'kind/up.sh: %s\n' "$*" >&2; exit 1; }

# --- prerequisites ---------------------------------------------------------------------------------
for tool in docker kind kubectl helm openssl; do
  command -v "$tool" >/dev/null || die "$tool is not installed (see docs/kubernetes.md, 'What you need')"
done
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (is it running? may this user use it?)"

kind_version="$(kind version | sed -n 's/^kind v\([0-9][0-9.]*\).*/\1/p')"
oldest="$(printf '%s\n%s\n' "$KIND_MIN_VERSION" "$kind_version" | sort -V | head -n 1)"
[[ -n "$kind_version" && "$oldest" == "$KIND_MIN_VERSION" ]] \
  || die "kind $kind_version is older than $KIND_MIN_VERSION: older kind networks ignore NetworkPolicy. Install kind >= $KIND_MIN_VERSION."

# --- cluster ---------------------------------------------------------------------------------------
if kind get clusters | grep -qx "$CLUSTER"; then
  log "cluster $CLUSTER exists: reusing it"
else
  log "creating cluster $CLUSTER (control plane + 2 workers)"
  kind create cluster --name "$CLUSTER" --config "$KIND_DIR/cluster.yaml" --wait 120s
fi
kubectl config use-context "kind-$CLUSTER" >/dev/null

ensure_namespace() { # NAME [LABEL=VALUE...]
  local name="$1"
  shift
  kubectl create namespace "$name" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  if (($# > 0)); then
    kubectl label namespace "$name" --overwrite "$@" >/dev/null
  fi
}
ensure_namespace tu pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/warn=restricted
ensure_namespace tu-infra
ensure_namespace kong
ensure_namespace monitoring

# --- TLS: a local CA and one certificate for the three hosts ----------------------------------------
mkdir -p "$STATE/tls"
if [[ ! -f "$STATE/tls/tls.crt" ]]; then
  log "creating a local CA and the certificate for tu.localtest.me, api.tu.localtest.me, auth.tu.localtest.me"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=tu local CA" \
    -keyout "$STATE/tls/ca.key" -out "$STATE/tls/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=tu.localtest.me" \
    -keyout "$STATE/tls/tls.key" -out "$STATE/tls/tls.csr" 2>/dev/null
  printf 'subjectAltName=DNS:tu.localtest.me,DNS:api.tu.localtest.me,DNS:auth.tu.localtest.me\n' > "$STATE/tls/san.ext"
  openssl x509 -req -in "$STATE/tls/tls.csr" -CA "$STATE/tls/ca.crt" -CAkey "$STATE/tls/ca.key" \
    -CAcreateserial -days 365 -extfile "$STATE/tls/san.ext" -out "$STATE/tls/tls.crt" 2>/dev/null
fi
for ns in tu tu-infra; do
  kubectl -n "$ns" create secret tls tu-tls --cert="$STATE/tls/tls.crt" --key="$STATE/tls/tls.key" \
    --dry-run=client -o yaml | kubectl apply -f - >/dev/null
done

# --- credentials: generated once, kept in kind/.state (ignored by git), never in values -------------
if [[ ! -f "$STATE/credentials.env" ]]; then
  umask 077
  {
    printf 'INGESTION_DB_PASSWORD=%s\n' "$(openssl rand -hex 16)"
    printf 'ORCHESTRATOR_DB_PASSWORD=%s\n' "$(openssl rand -hex 16)"
    printf 'OBJECT_STORE_ACCESS_KEY=tu-%s\n' "$(openssl rand -hex 6)"
    printf 'OBJECT_STORE_SECRET_KEY=%s\n' "$(openssl rand -hex 20)"
    printf 'KEYCLOAK_ADMIN_PASSWORD=%s\n' "$(openssl rand -hex 16)"
  } > "$STATE/credentials.env"
fi
# Added later than the others: a credentials.env from an older run gets it appended.
if ! grep -q '^GRAFANA_ADMIN_PASSWORD=' "$STATE/credentials.env"; then
  (umask 077 && printf 'GRAFANA_ADMIN_PASSWORD=%s\n' "$(openssl rand -hex 16)" >> "$STATE/credentials.env")
fi
# shellcheck source=/dev/null
source "$STATE/credentials.env"

apply_secret() { # NAMESPACE NAME TYPE KEY=VALUE...
  local ns="$1" name="$2" type="$3"
  shift 3
  local args=()
  for pair in "$@"; do
    args+=(--from-literal="$pair")
  done
  kubectl -n "$ns" create secret generic "$name" --type="$type" "${args[@]}" --dry-run=client -o yaml \
    | kubectl apply -f - >/dev/null
}
for ns in tu tu-infra; do
  apply_secret "$ns" tu-ingestion-db kubernetes.io/basic-auth username=tu_ingestion password="$INGESTION_DB_PASSWORD"
  apply_secret "$ns" tu-orchestrator-db kubernetes.io/basic-auth username=tu_orchestrator password="$ORCHESTRATOR_DB_PASSWORD"
done
apply_secret tu-infra tu-object-store Opaque rootUser="$OBJECT_STORE_ACCESS_KEY" rootPassword="$OBJECT_STORE_SECRET_KEY"
apply_secret tu tu-object-store Opaque access-key="$OBJECT_STORE_ACCESS_KEY" secret-key="$OBJECT_STORE_SECRET_KEY"
apply_secret tu-infra tu-keycloak-admin Opaque username=tu-kc-admin password="$KEYCLOAK_ADMIN_PASSWORD"
apply_secret monitoring tu-grafana-admin Opaque admin-user=admin admin-password="$GRAFANA_ADMIN_PASSWORD"
kubectl -n tu-infra create configmap tu-realm --from-file=tu-realm.json="$ROOT/infra/keycloak/tu-realm.json" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null

# --- infrastructure from upstream charts and operators ------------------------------------------------
log "adding the chart repositories"
helm repo add metrics-server https://kubernetes-sigs.github.io/metrics-server --force-update >/dev/null
helm repo add kong https://charts.konghq.com --force-update >/dev/null
helm repo add cnpg https://cloudnative-pg.github.io/charts --force-update >/dev/null
helm repo add codecentric https://codecentric.github.io/helm-charts --force-update >/dev/null
helm repo add minio https://charts.min.io --force-update >/dev/null
helm repo add open-telemetry https://open-telemetry.github.io/opentelemetry-helm-charts --force-update >/dev/null
helm repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update >/dev/null
helm repo add grafana https://grafana.github.io/helm-charts --force-update >/dev/null
helm repo add jaegertracing https://jaegertracing.github.io/helm-charts --force-update >/dev/null
helm repo update >/dev/null

log "metrics-server $METRICS_SERVER_CHART_VERSION (the HPAs read CPU from it)"
helm upgrade --install metrics-server metrics-server/metrics-server --version "$METRICS_SERVER_CHART_VERSION" \
  -n kube-system -f "$KIND_DIR/infra/metrics-server-values.yaml" --wait

log "Kong $KONG_CHART_VERSION (ingress controller and edge)"
helm upgrade --install kong kong/kong --version "$KONG_CHART_VERSION" -n kong \
  -f "$KIND_DIR/infra/kong-values.yaml" --wait --timeout 5m

log "Strimzi $STRIMZI_CHART_VERSION and Kafka $KAFKA_VERSION (KRaft)"
helm upgrade --install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "$STRIMZI_CHART_VERSION" \
  -n tu-infra --wait
kubectl apply -f "$KIND_DIR/infra/kafka.yaml"

log "RabbitMQ cluster operator $RABBITMQ_OPERATOR_VERSION"
kubectl apply -f "https://github.com/rabbitmq/cluster-operator/releases/download/$RABBITMQ_OPERATOR_VERSION/cluster-operator.yml"
kubectl -n rabbitmq-system rollout status deployment/rabbitmq-cluster-operator --timeout=5m
kubectl apply -f "$KIND_DIR/infra/rabbitmq.yaml"

log "CloudNativePG $CNPG_CHART_VERSION and PostgreSQL"
helm upgrade --install cnpg cnpg/cloudnative-pg --version "$CNPG_CHART_VERSION" -n cnpg-system --create-namespace --wait
kubectl apply -f "$KIND_DIR/infra/postgres.yaml"

log "object store (MinIO chart $MINIO_CHART_VERSION)"
helm upgrade --install object-store minio/minio --version "$MINIO_CHART_VERSION" -n tu-infra \
  -f "$KIND_DIR/infra/minio-values.yaml" --wait --timeout 5m

log "Keycloak ($KEYCLOAK_IMAGE, keycloakx chart $KEYCLOAKX_CHART_VERSION) with the tu realm"
helm upgrade --install keycloak codecentric/keycloakx --version "$KEYCLOAKX_CHART_VERSION" -n tu-infra \
  -f "$KIND_DIR/infra/keycloakx-values.yaml" --wait --timeout 10m

# --- observability: metrics, dashboards and alerts; traces; logs ----------------------------------------
# kube-prometheus-stack first: its CRDs (ServiceMonitor, PrometheusRule) must exist before the tu release.
log "kube-prometheus-stack $KUBE_PROMETHEUS_STACK_CHART_VERSION (Prometheus Operator, Prometheus, Grafana, kube-state-metrics)"
helm upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack \
  --version "$KUBE_PROMETHEUS_STACK_CHART_VERSION" -n monitoring \
  -f "$KIND_DIR/infra/kube-prometheus-stack-values.yaml" --wait --timeout 10m

log "Loki $LOKI_CHART_VERSION (single binary; pod logs over OTLP)"
helm upgrade --install loki grafana/loki --version "$LOKI_CHART_VERSION" -n monitoring \
  -f "$KIND_DIR/infra/loki-values.yaml" --wait --timeout 10m

log "Jaeger $JAEGER_CHART_VERSION (all-in-one; traces over OTLP)"
helm upgrade --install jaeger jaegertracing/jaeger --version "$JAEGER_CHART_VERSION" -n monitoring \
  -f "$KIND_DIR/infra/jaeger-values.yaml" --wait --timeout 5m

log "OpenTelemetry collectors $OTEL_COLLECTOR_CHART_VERSION (traces → Jaeger; pod logs → Loki)"
helm upgrade --install otel-collector open-telemetry/opentelemetry-collector --version "$OTEL_COLLECTOR_CHART_VERSION" \
  -n tu-infra -f "$KIND_DIR/infra/otel-collector-values.yaml" --wait
helm upgrade --install otel-logs open-telemetry/opentelemetry-collector --version "$OTEL_COLLECTOR_CHART_VERSION" \
  -n tu-infra -f "$KIND_DIR/infra/otel-logs-values.yaml" --wait

log "waiting for Kafka, RabbitMQ and PostgreSQL"
kubectl -n tu-infra wait kafka/tu-kafka --for=condition=Ready --timeout=10m
kubectl -n tu-infra wait rabbitmqcluster/tu-rabbitmq --for=condition=AllReplicasReady --timeout=10m
kubectl -n tu-infra wait cluster.postgresql.cnpg.io/tu-postgres --for=condition=Ready --timeout=10m

# The RabbitMQ operator generated the broker's credentials; the services read them in namespace tu.
rabbit_user="$(kubectl -n tu-infra get secret tu-rabbitmq-default-user -o jsonpath='{.data.username}' | base64 -d)"
rabbit_password="$(kubectl -n tu-infra get secret tu-rabbitmq-default-user -o jsonpath='{.data.password}' | base64 -d)"
apply_secret tu tu-rabbitmq Opaque username="$rabbit_user" password="$rabbit_password"

# --- images and the release ---------------------------------------------------------------------------
VERSION="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/charts/tu/Chart.yaml")"
log "building and loading the images tu/<service>:$VERSION"
"$KIND_DIR/build-images.sh" "$VERSION"

log "helm upgrade --install tu (chart charts/tu, values-kind.yaml)"
helm dependency build "$ROOT/charts/tu" >/dev/null
helm upgrade --install tu "$ROOT/charts/tu" -n tu -f "$ROOT/charts/tu/values-kind.yaml" \
  --wait --timeout 10m
helm test tu -n tu --logs

cat <<INFO

The suite runs on kind cluster "$CLUSTER".

  web console   https://tu.localtest.me/
  API           https://api.tu.localtest.me/api/v1/images   https://api.tu.localtest.me/graphql
  Keycloak      https://auth.tu.localtest.me/realms/tu      (admin: tu-kc-admin, password in kind/.state/credentials.env)
  CA to trust   $STATE/tls/ca.crt     e.g. curl --cacert $STATE/tls/ca.crt https://api.tu.localtest.me/graphql

  Grafana       kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80
                http://127.0.0.1:3000  (admin, password GRAFANA_ADMIN_PASSWORD in kind/.state/credentials.env)
                dashboards in folder tu; Explore → Loki: {namespace="tu"} | json | traceId="<id>"
  Jaeger        kubectl -n monitoring port-forward svc/jaeger-query 16686:16686   → http://127.0.0.1:16686
  Prometheus    kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090  (Alerts: the tu rules)

  *.localtest.me resolves to 127.0.0.1; kind maps the host's 80/443 to Kong's NodePorts. With
  cloud-provider-kind running, Kong's LoadBalancer also gets an address:
    kubectl -n kong get service kong-kong-proxy

First kubectl commands to try:
  kubectl -n tu get pods -o wide                    # where each replica runs (spread over the workers)
  kubectl -n tu describe deployment tu-api-gateway  # rolling update strategy, probes, events
  kubectl -n tu logs deployment/tu-ingestion-service --tail=50
  kubectl -n tu get hpa,pdb,networkpolicy
  kubectl -n tu-infra get pods
  helm history tu -n tu                             # revisions, for helm rollback
INFO

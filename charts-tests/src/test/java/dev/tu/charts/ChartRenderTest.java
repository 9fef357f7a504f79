package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tu.charts.Charts.Scenario;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario: rendered by real Helm, equal to its golden snapshot, strictly parsed, and within policy. */
class ChartRenderTest {

    static Stream<Scenario> scenarios() {
        return Charts.scenarios().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersAsItsGoldenSnapshot(Scenario scenario) {
        Golden.assertMatches(scenario.name(), scenario.render());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyContainerHasManagementPortProbesResourcesRestrictedContextAndVersionedImage(Scenario scenario) {
        Rendered rendered = Rendered.parse(scenario.render());
        Map<String, PodSpec> workloads = rendered.deploymentPodSpecs();
        assertThat(workloads).as("deployments").isNotEmpty();
        workloads.forEach((name, spec) -> {
            assertRestrictedPod(name, spec);
            assertThat(spec.getAutomountServiceAccountToken()).as("%s automountServiceAccountToken", name).isFalse();
            int managementPort = Integer.parseInt(configOf(rendered, name).get("MANAGEMENT_SERVER_PORT"));
            for (Container container : Rendered.containers(spec)) {
                String where = name + "/" + container.getName();
                ContainerPort management = container.getPorts().stream()
                        .filter(port -> "management".equals(port.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(where + " has no port named management"));
                assertThat(management.getContainerPort()).as("%s management port = MANAGEMENT_SERVER_PORT", where)
                        .isEqualTo(managementPort);
                assertProbe(where + " startupProbe", container.getStartupProbe(), "/actuator/health/liveness");
                assertProbe(where + " livenessProbe", container.getLivenessProbe(), "/actuator/health/liveness");
                assertProbe(where + " readinessProbe", container.getReadinessProbe(), "/actuator/health/readiness");
                assertResources(where, container);
                assertRestrictedContainer(where, container.getSecurityContext());
                assertVersioned(where, container.getImage());
            }
        });
        for (Pod testPod : rendered.all(Pod.class)) {
            String name = testPod.getMetadata().getName();
            assertThat(testPod.getMetadata().getAnnotations()).as("%s is a helm test hook", name)
                    .containsEntry("helm.sh/hook", "test");
            assertRestrictedPod(name, testPod.getSpec());
            for (Container container : Rendered.containers(testPod.getSpec())) {
                assertResources(name, container);
                assertRestrictedContainer(name, container.getSecurityContext());
                assertVersioned(name, container.getImage());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rollingUpdatesServiceAccountsAndServicesAreAsTheBriefSays(Scenario scenario) {
        Rendered rendered = Rendered.parse(scenario.render());
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            assertThat(deployment.getSpec().getStrategy().getType()).as(name).isEqualTo("RollingUpdate");
            assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).as(name + " maxSurge").isNotNull();
            assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).as(name + " maxUnavailable")
                    .isNotNull();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).as(name + " checksum annotations")
                    .containsKeys("checksum/config", "checksum/secret-refs");
            ServiceAccount account = rendered.find(ServiceAccount.class,
                    deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                    .orElseThrow(() -> new AssertionError(name + " runs as a ServiceAccount the chart does not create"));
            assertThat(account.getAutomountServiceAccountToken()).as(account.getMetadata().getName()).isFalse();
            io.fabric8.kubernetes.api.model.Service service = rendered.find(io.fabric8.kubernetes.api.model.Service.class, name)
                    .orElseThrow(() -> new AssertionError(name + " has no Service"));
            assertThat(service.getSpec().getType()).as(name + " Service type").isEqualTo("ClusterIP");
            assertThat(matches(service.getSpec().getSelector(), podLabels(deployment))).as(name + " Service selects its pods").isTrue();
        }
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            assertThat(rendered.find(Deployment.class, hpa.getSpec().getScaleTargetRef().getName()))
                    .as("HPA %s scales a rendered Deployment", hpa.getMetadata().getName()).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyPodIsSelectedByItsOwnNetworkPolicyBehindADefaultDeny(Scenario scenario) {
        Rendered rendered = Rendered.parse(scenario.render());
        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);
        assertThat(policies).as("a default deny of ingress and egress for the whole namespace")
                .anySatisfy(policy -> {
                    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
                    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
                    assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
                });
        List<Map.Entry<String, Map<String, String>>> pods = new ArrayList<>();
        rendered.all(Deployment.class).forEach(d -> pods.add(Map.entry(d.getMetadata().getName(), podLabels(d))));
        rendered.all(Pod.class).forEach(p -> pods.add(Map.entry(p.getMetadata().getName(), p.getMetadata().getLabels())));
        for (Map.Entry<String, Map<String, String>> pod : pods) {
            assertThat(policies).as("%s is selected by a NetworkPolicy of its own (not only the namespace-wide ones)",
                    pod.getKey()).anySatisfy(policy -> {
                        LabelSelector selector = policy.getSpec().getPodSelector();
                        assertThat(selector.getMatchLabels()).isNotEmpty();
                        assertThat(matches(selector.getMatchLabels(), pod.getValue())).isTrue();
                    });
        }
    }

    /** The adapter loads its ONNX model sessions before it answers the liveness group: its start may take longest. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theAdapterHasTheLargestStartupBudget(Scenario scenario) {
        Rendered rendered = Rendered.parse(scenario.render());
        Map<String, Integer> budgets = new TreeMap<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Probe startup = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getStartupProbe();
            budgets.put(deployment.getMetadata().getName(), startup.getPeriodSeconds() * startup.getFailureThreshold());
        }
        Integer adapter = budgets.remove(Charts.RELEASE + "-ai-vision-adapter");
        if (adapter == null) {
            return;
        }
        assertThat(adapter).as("the adapter's startup budget (s) against the others' %s", budgets)
                .isGreaterThanOrEqualTo(300);
        budgets.values().forEach(other -> assertThat(adapter).as("startup budget (s)").isGreaterThan(other));
    }

    /**
     * The architecture's edges and nothing else, over every policy that selects a pod (the namespace-wide ones
     * included). What a service may reach is derived from what it is configured to reach, not from a copy of the
     * chart's uses/calls lists: egress to Kafka, RabbitMQ, PostgreSQL, the object store, Keycloak and the collector
     * exactly when its ConfigMap names that peer's address (from the values' infrastructure.* and oidc.*), egress to
     * another service exactly when it names that Service's URL; ingress on the http port exactly from those callers,
     * and from Kong's namespace only for what the Ingress routes to; the management port only from the helm test
     * pods and, with ServiceMonitors, Prometheus' namespace.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void networkPoliciesAllowExactlyTheEdgesTheConfigurationUses(Scenario scenario) {
        assertPoliciesAllowExactlyTheConfiguredEdges(Rendered.parse(scenario.render()), Charts.values(scenario));
    }

    @Test
    void anEdgeNoConfigurationUsesIsFound() throws IOException {
        Path extra = Files.createTempFile(Charts.root().resolve("charts-tests/target"), "edge-", "-values.yaml");
        Files.writeString(extra, """
                services:
                  ai-vision-adapter:
                    uses: [kafka, objectStore, keycloak, postgres]
                """);
        Scenario scenario = new Scenario("extra-edge", List.of(extra));
        assertThatThrownBy(() -> assertPoliciesAllowExactlyTheConfiguredEdges(Rendered.parse(scenario.render()),
                Charts.values(scenario)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("tu-ai-vision-adapter")
                .hasMessageContaining("egress postgres 5432");
    }

    private static void assertPoliciesAllowExactlyTheConfiguredEdges(Rendered rendered, JsonNode values) {
        Peers peers = new Peers(values, rendered);
        String http = values.path("ports").path("http").asText();
        String management = values.path("ports").path("management").asText();
        Set<String> exposed = new TreeSet<>();
        for (Ingress ingress : rendered.all(Ingress.class)) {
            ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths()
                    .forEach(path -> exposed.add(path.getBackend().getService().getName())));
        }
        Map<String, Set<String>> callees = new TreeMap<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Collection<String> config = configOf(rendered, name).values();
            Set<String> calls = new TreeSet<>();
            for (Deployment other : rendered.all(Deployment.class)) {
                String url = "http://" + other.getMetadata().getName() + ":" + http;
                if (!other.equals(deployment) && config.stream().anyMatch(value -> value.contains(url))) {
                    calls.add(other.getMetadata().getName());
                }
            }
            callees.put(name, calls);
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Collection<String> config = configOf(rendered, name).values();
            Set<String> egress = new TreeSet<>(List.of("egress dns 53"));
            peers.infrastructure.forEach((peer, address) -> {
                if (config.stream().anyMatch(value -> value.contains(address))) {
                    peers.ports(peer).forEach(port -> egress.add("egress " + peer + " " + port));
                }
            });
            callees.get(name).forEach(callee -> egress.add("egress service:" + callee + " " + http));
            Set<String> ingress = new TreeSet<>(List.of("ingress helm-test " + management));
            callees.forEach((caller, calls) -> {
                if (calls.contains(name)) {
                    ingress.add("ingress service:" + caller + " " + http);
                }
            });
            if (exposed.contains(name)) {
                ingress.add("ingress kong " + http);
            }
            if (values.path("serviceMonitor").path("enabled").asBoolean()) {
                ingress.add("ingress monitoring " + management);
            }
            Set<String> expected = new TreeSet<>(egress);
            expected.addAll(ingress);
            assertThat(peers.edges(podLabels(deployment))).as("%s: the edges its NetworkPolicies allow", name)
                    .containsExactlyElementsOf(expected);
        }
        if (!rendered.all(Ingress.class).isEmpty()) {
            assertThat(exposed).as("Kong routes to the api-gateway alone").containsExactly(Charts.RELEASE + "-api-gateway");
        }
        for (String peer : List.of("kafka", "rabbitmq", "postgres", "objectStore")) {
            assertThat(peers.infrastructure).as("the values name the %s address", peer).containsKey(peer);
        }
    }

    /** Names the peers a NetworkPolicy rule can name, from the values (infrastructure, DNS, Kong, Prometheus) and the render. */
    private static final class Peers {

        private final JsonNode values;
        private final Rendered rendered;
        /** peer (infrastructure.* key) → the address a client's configuration names. */
        final Map<String, String> infrastructure = new TreeMap<>();

        Peers(JsonNode values, Rendered rendered) {
            this.values = values;
            this.rendered = rendered;
            JsonNode infra = values.path("infrastructure");
            infrastructure.put("kafka", infra.path("kafka").path("bootstrap").asText());
            infrastructure.put("rabbitmq", infra.path("rabbitmq").path("host").asText());
            infrastructure.put("postgres", infra.path("postgres").path("host").asText());
            infrastructure.put("objectStore", URI.create(infra.path("objectStore").path("endpoint").asText()).getHost());
            infrastructure.put("otel", URI.create(infra.path("otel").path("endpoint").asText()).getHost());
            infrastructure.put("keycloak", URI.create(values.path("oidc").path("jwkSetUri").asText()).getHost());
        }

        List<String> ports(String peer) {
            List<String> ports = new ArrayList<>();
            values.path("infrastructure").path(peer).path("ports").forEach(port -> ports.add(port.asText()));
            return ports;
        }

        /** "egress|ingress <peer> <port>" for every rule of every policy that selects pods with these labels. */
        Set<String> edges(Map<String, String> pod) {
            Set<String> edges = new TreeSet<>();
            for (NetworkPolicy policy : rendered.all(NetworkPolicy.class)) {
                Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
                if (selector != null && !selector.isEmpty() && !matches(selector, pod)) {
                    continue;
                }
                for (var rule : nullToEmpty(policy.getSpec().getEgress())) {
                    add(edges, "egress", rule.getTo(), rule.getPorts());
                }
                for (var rule : nullToEmpty(policy.getSpec().getIngress())) {
                    add(edges, "ingress", rule.getFrom(), rule.getPorts());
                }
            }
            return edges;
        }

        private void add(Set<String> edges, String direction, List<NetworkPolicyPeer> peers,
                List<NetworkPolicyPort> ports) {
            assertThat(peers).as("a %s rule without peers allows everyone", direction).isNotEmpty();
            assertThat(ports).as("a %s rule without ports allows every port", direction).isNotEmpty();
            for (NetworkPolicyPeer peer : peers) {
                for (NetworkPolicyPort port : ports) {
                    edges.add(direction + " " + name(peer) + " " + port.getPort().getValue());
                }
            }
        }

        private String name(NetworkPolicyPeer peer) {
            assertThat(peer.getIpBlock()).as("no ipBlock peers").isNull();
            Map<String, String> pods = peer.getPodSelector() == null ? null : peer.getPodSelector().getMatchLabels();
            if (peer.getNamespaceSelector() == null) {
                for (Deployment deployment : rendered.all(Deployment.class)) {
                    if (pods != null && pods.equals(deployment.getSpec().getSelector().getMatchLabels())) {
                        return "service:" + deployment.getMetadata().getName();
                    }
                }
                if (pods != null && "helm-test".equals(pods.get("app.kubernetes.io/component"))) {
                    return "helm-test";
                }
                return "unknown pods " + pods;
            }
            String namespace = peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
            if (namespace.equals(values.path("networkPolicy").path("dns").path("namespace").asText())
                    && labels(values.path("networkPolicy").path("dns").path("podLabels")).equals(pods)) {
                return "dns";
            }
            if (namespace.equals(values.path("edge").path("namespace").asText())
                    && labels(values.path("edge").path("podLabels")).equals(pods)) {
                return "kong";
            }
            if (namespace.equals(values.path("serviceMonitor").path("namespace").asText()) && pods == null) {
                return "monitoring";
            }
            if (namespace.equals(values.path("infrastructure").path("namespace").asText())) {
                for (String name : infrastructure.keySet()) {
                    if (labels(values.path("infrastructure").path(name).path("podLabels")).equals(pods)) {
                        return name;
                    }
                }
            }
            return "unknown " + namespace + "/" + pods;
        }

        private static Map<String, String> labels(JsonNode node) {
            Map<String, String> labels = new TreeMap<>();
            node.properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
            return labels;
        }

        private static <T> List<T> nullToEmpty(List<T> list) {
            return list == null ? List.of() : list;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyDeploymentWithMoreThanOneReplicaHasAPodDisruptionBudget(Scenario scenario) {
        Rendered rendered = Rendered.parse(scenario.render());
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            int replicas = deployment.getSpec().getReplicas() != null ? deployment.getSpec().getReplicas()
                    : rendered.find(HorizontalPodAutoscaler.class, name)
                            .orElseThrow(() -> new AssertionError(name + " has neither replicas nor an HPA"))
                            .getSpec().getMinReplicas();
            if (replicas > 1) {
                assertThat(rendered.all(PodDisruptionBudget.class))
                        .as("%s runs %d replicas: a PDB must select its pods", name, replicas)
                        .anySatisfy(pdb -> assertThat(matches(pdb.getSpec().getSelector().getMatchLabels(),
                                podLabels(deployment))).isTrue());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void kongServesBothHostsOverTlsWithRateAndSizeLimits(Scenario scenario) {
        Rendered rendered = Rendered.parse(scenario.render());
        List<Ingress> ingresses = rendered.all(Ingress.class);
        if (ingresses.isEmpty()) {
            assertThat(rendered.custom("KongPlugin")).as("no plugins without the edge").isEmpty();
            return;
        }
        for (Ingress ingress : ingresses) {
            String name = ingress.getMetadata().getName();
            assertThat(ingress.getSpec().getIngressClassName()).as(name).isEqualTo("kong");
            List<String> tlsHosts = ingress.getSpec().getTls().stream().map(IngressTLS::getHosts).flatMap(List::stream).toList();
            assertThat(ingress.getSpec().getTls()).allSatisfy(tls -> assertThat(tls.getSecretName()).isNotBlank());
            assertThat(ingress.getSpec().getRules()).as(name + " rules").hasSize(2)
                    .extracting(IngressRule::getHost).allSatisfy(host -> assertThat(tlsHosts).contains(host));
            List<String> pluginNames = List.of(ingress.getMetadata().getAnnotations().get("konghq.com/plugins").split(","));
            List<GenericKubernetesResource> plugins = rendered.custom("KongPlugin");
            assertThat(plugins).extracting(plugin -> plugin.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(pluginNames);
            assertThat(plugins).extracting(plugin -> plugin.getApiVersion()).containsOnly("configuration.konghq.com/v1");
            Map<String, Object> byPlugin = new java.util.HashMap<>();
            plugins.forEach(plugin -> byPlugin.put((String) plugin.getAdditionalProperties().get("plugin"),
                    plugin.getAdditionalProperties().get("config")));
            assertThat(byPlugin).containsOnlyKeys("rate-limiting", "request-size-limiting");
            @SuppressWarnings("unchecked")
            Map<String, Object> rateLimit = (Map<String, Object>) byPlugin.get("rate-limiting");
            assertThat(rateLimit).containsKeys("minute", "limit_by", "policy");
            @SuppressWarnings("unchecked")
            Map<String, Object> sizeLimit = (Map<String, Object>) byPlugin.get("request-size-limiting");
            assertThat(sizeLimit)
                    .containsEntry("size_unit", "megabytes").containsKey("allowed_payload_size");
        }
    }

    static Map<String, String> configOf(Rendered rendered, String deployment) {
        return rendered.find(ConfigMap.class, deployment)
                .orElseThrow(() -> new AssertionError(deployment + " has no ConfigMap")).getData();
    }

    static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static void assertProbe(String where, Probe probe, String path) {
        assertThat(probe).as(where).isNotNull();
        assertThat(probe.getHttpGet()).as(where + " httpGet").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where + " path").isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(where + " port").isEqualTo("management");
    }

    private static void assertResources(String where, Container container) {
        assertThat(container.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as(where + " limits").containsKeys("cpu", "memory");
    }

    private static void assertRestrictedPod(String where, PodSpec spec) {
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).as(where + " pod runAsNonRoot").isTrue();
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).as(where + " pod seccomp")
                .isEqualTo("RuntimeDefault");
        assertThat(spec.getHostNetwork()).as(where + " hostNetwork").isNotEqualTo(Boolean.TRUE);
        assertThat(spec.getVolumes() == null ? List.of() : spec.getVolumes())
                .as(where + " volumes (restricted allows no hostPath)").allSatisfy(volume -> assertThat(volume.getHostPath()).isNull());
    }

    private static void assertRestrictedContainer(String where, SecurityContext context) {
        assertThat(context).as(where + " securityContext").isNotNull();
        assertThat(context.getRunAsNonRoot()).as(where + " runAsNonRoot").isTrue();
        assertThat(context.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
        assertThat(context.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
        assertThat(context.getPrivileged()).as(where + " privileged").isNotEqualTo(Boolean.TRUE);
        assertThat(context.getCapabilities().getDrop()).as(where + " capabilities.drop").containsExactly("ALL");
        assertThat(context.getCapabilities().getAdd()).as(where + " capabilities.add").isNullOrEmpty();
        assertThat(context.getSeccompProfile().getType()).as(where + " seccomp").isEqualTo("RuntimeDefault");
    }

    static void assertVersioned(String where, String image) {
        String afterRegistry = image.substring(image.lastIndexOf('/') + 1);
        boolean digest = image.contains("@sha256:");
        boolean tagged = afterRegistry.contains(":") && !afterRegistry.endsWith(":latest")
                && !afterRegistry.substring(afterRegistry.indexOf(':') + 1).isBlank();
        assertThat(digest || tagged).as("%s image %s is versioned (a tag other than latest, or a digest)", where, image)
                .isTrue();
    }

}

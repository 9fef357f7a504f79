package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

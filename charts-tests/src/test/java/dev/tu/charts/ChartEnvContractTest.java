package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.EnvFile;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.SuiteLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart and the harness agree on each service's environment: the chart sets every key of
 * deploy/env/&lt;service&gt;.env (values differ: in-cluster hosts), every key the chart sets is a
 * property the application's jar actually reads (its configuration metadata or its own
 * configuration), and the container's ports are the ones the environment tells Spring to serve on.
 */
class ChartEnvContractTest {

    /** Keys the JVM reads, not Spring. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    @ParameterizedTest
    @EnumSource(Service.class)
    void theChartSetsTheHarnessKeysAndOnlyKeysTheAppReads(Service service) {
        SuiteLayout layout = SuiteLayout.locate();
        Set<String> harnessKeys = EnvFile.read(layout.envFile(service), layout.infrastructure()).keySet();
        Rendered rendered = Rendered.parse(Charts.render(List.of(Charts.sourceChart().resolve("ci/monitoring-values.yaml")), Map.of()));
        Map<String, String> chartEnv = chartEnvironment(rendered, service);

        assertThat(chartEnv.keySet()).as("%s: the chart sets every key of deploy/env/%s.env", service.id(), service.id())
                .containsAll(harnessKeys);

        AppConfiguration app = AppConfiguration.of(layout.jar(service));
        assertThat(app.size()).as("properties found in %s", layout.jar(service)).isGreaterThan(500);
        assertThat(app.reads("SPRING_DATASOURCE_URLL")).as("a misspelt key is not read (the check can fail)").isFalse();
        assertThat(app.reads("SERVER_PORT")).isTrue();
        Set<String> unread = new LinkedHashSet<>();
        for (String key : chartEnv.keySet()) {
            if (!JVM_VARIABLES.contains(key) && !app.reads(key)) {
                unread.add(key);
            }
        }
        assertThat(unread).as("%s: keys the chart sets that the application never reads (typo, or a property"
                + " that does not exist in this Spring Boot version)", service.id()).isEmpty();

        Container container = container(rendered, service);
        assertThat(port(container, "http")).as("%s http containerPort = SERVER_PORT", service.id())
                .isEqualTo(Integer.parseInt(chartEnv.get("SERVER_PORT")));
        assertThat(port(container, "management")).as("%s management containerPort = MANAGEMENT_SERVER_PORT", service.id())
                .isEqualTo(Integer.parseInt(chartEnv.get("MANAGEMENT_SERVER_PORT")));
    }

    /**
     * A path the chart gives a service (TU_MODELS_DIR=/models) is either one of the container's mounts or a
     * directory the image recipe fills, and the image's own ENV for that key, if any, says the same. (The contract
     * IT runs the app with the harness's copy of those files; this ties the chart's path to the image's.)
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void everyPathTheChartGivesIsMountedOrInTheImage(Service service) throws IOException {
        Rendered rendered = Rendered.parse(Charts.render(List.of(), Map.of()));
        Container container = container(rendered, service);
        String dockerfile = Files.readString(Charts.root().resolve("deploy/docker/Dockerfile"));
        Matcher copies = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*\\S+\\s+(/\\S+?)/?$")
                .matcher(dockerfile);
        Set<String> imageDirs = new LinkedHashSet<>();
        while (copies.find()) {
            imageDirs.add(copies.group(1));
        }
        assertThat(imageDirs).as("COPY destinations of deploy/docker/Dockerfile").contains("/models");
        chartEnvironment(rendered, service).forEach((key, value) -> {
            if (!value.startsWith("/")) {
                return;
            }
            boolean mounted = container.getVolumeMounts().stream()
                    .anyMatch(mount -> value.equals(mount.getMountPath()) || value.startsWith(mount.getMountPath() + "/"));
            assertThat(mounted || imageDirs.contains(value))
                    .as("%s: %s=%s is neither mounted by the chart nor filled by the Dockerfile (%s)", service.id(), key,
                            value, imageDirs).isTrue();
            Matcher env = Pattern.compile("(?m)^ENV\\s+" + key + "=(\\S+)").matcher(dockerfile);
            if (env.find()) {
                assertThat(env.group(1)).as("%s: the image's ENV %s", service.id(), key).isEqualTo(value);
            }
        });
    }

    /**
     * What the contract IT changes in the chart's environment to run it here is only what names the cluster: the
     * chart's database names, realm, bucket, origins and switches reach the application unchanged.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void theContractRunChangesOnlyClusterAddressesSecretsAndImagePaths(Service service) {
        SuiteLayout layout = SuiteLayout.locate();
        Rendered rendered = Rendered.parse(Charts.render(List.of(), Map.of("ports.http", "18080", "ports.management", "18081")));
        Map<String, String> chartEnv = chartEnvironment(rendered, service);
        Map<String, String> run = ChartToAppContractIT.runEnvironment(layout, service, chartEnv, 18080,
                Map.of("/tmp", Path.of("/tmp/contract-tmp")));
        Set<String> changed = new java.util.TreeSet<>();
        chartEnv.forEach((key, value) -> {
            if (!value.equals(run.get(key))) {
                changed.add(key);
            }
        });
        Set<String> allowed = new java.util.TreeSet<>(List.of("SERVER_ADDRESS", "JAVA_TOOL_OPTIONS",
                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI"));
        chartEnv.forEach((key, value) -> {
            if (value.startsWith("secret:") || value.startsWith("/") || value.contains(".svc")
                    || value.contains("//" + Charts.RELEASE + "-") || key.endsWith("_HOST") || key.endsWith("RABBITMQ_PORT")) {
                allowed.add(key);
            }
        });
        assertThat(allowed).as("changed keys %s", changed).containsAll(changed);
        assertThat(run.get("JAVA_TOOL_OPTIONS")).startsWith(chartEnv.get("JAVA_TOOL_OPTIONS") + " -Djava.io.tmpdir=");
        assertThat(run.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI")).as("the chart's realm path is kept")
                .endsWith(java.net.URI.create(chartEnv.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI")).getPath());
        if (chartEnv.containsKey("SPRING_DATASOURCE_URL")) {
            String database = chartEnv.get("SPRING_DATASOURCE_URL").replaceAll(".*/", "");
            assertThat(run.get("SPRING_DATASOURCE_URL")).as("the chart's database name is kept").endsWith("/" + database)
                    .doesNotContain(".svc");
        }
    }

    /** The container's environment: its ConfigMap's data plus its own env (secret references as "secret:name/key"). */
    static Map<String, String> chartEnvironment(Rendered rendered, Service service) {
        Map<String, String> env = new java.util.TreeMap<>(ChartRenderTest.configOf(rendered, Charts.RELEASE + "-" + service.id()));
        Container container = container(rendered, service);
        if (container.getEnv() != null) {
            for (EnvVar variable : container.getEnv()) {
                env.put(variable.getName(), variable.getValue() != null ? variable.getValue()
                        : "secret:" + variable.getValueFrom().getSecretKeyRef().getName() + "/"
                                + variable.getValueFrom().getSecretKeyRef().getKey());
            }
        }
        return env;
    }

    static Container container(Rendered rendered, Service service) {
        Deployment deployment = rendered.find(Deployment.class, Charts.RELEASE + "-" + service.id())
                .orElseThrow(() -> new AssertionError("no Deployment for " + service.id()));
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    static int port(Container container, String name) {
        return container.getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name)).getContainerPort();
    }
}

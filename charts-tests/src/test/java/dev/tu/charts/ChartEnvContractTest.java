package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.EnvFile;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.SuiteLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Lint, the values schema (typos and wrong types are refused) and the validateValues failures (each with its fix). */
class ValuesValidationTest {

    @Test
    void lintPassesWithoutWarnings() {
        LintResult result = new Helm(Charts.umbrella()).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
        LintResult library = new Helm(Charts.umbrella().resolveSibling("tu-lib")).lint().strict().call();
        assertThat(library.isFailed()).as("helm lint --strict charts/tu-lib: %s", library.getMessages()).isFalse();
    }

    /**
     * `helm lint --strict` with each scenario's values, as `helm lint -f <scenario>` would: helm-java's lint takes
     * no values files, so the scenario is merged over the chart's values.yaml (maps merge, anything else is
     * replaced, as Helm coalesces) in a copy of the chart.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tu.charts.ChartRenderTest#scenarios")
    void lintPassesWithoutWarningsForEveryScenario(Charts.Scenario scenario) {
        Path chart = Charts.withValues(scenario);
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict -f %s: %s", scenario.valuesFiles(), result.getMessages()).isFalse();
        assertThat(result.getMessages()).as(scenario.name())
                .noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @Test
    void lintWithAScenarioSeesItsValues() throws Exception {
        Path broken = Files.createTempFile(Charts.root().resolve("charts-tests/target"), "broken-", "-values.yaml");
        Files.writeString(broken, "serviceDefaults:\n  replicaCont: 2\n");
        LintResult result = new Helm(Charts.withValues(new Charts.Scenario("broken", List.of(broken)))).lint().strict().call();
        assertThat(result.isFailed()).as("a typo in the scenario fails lint: %s", result.getMessages()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("replicaCont");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            serviceDefaults.replicaCont                  | 2          | Additional property replicaCont is not allowed
            services.ingestion-service.resorces.limits.cpu | 1        | Additional property resorces is not allowed
            services.ingestoin-service.enabled           | true       | Additional property ingestoin-service is not allowed
            edge.tls.secretNmae                          | x          | Additional property secretNmae is not allowed
            ports.management                             | management | Invalid type. Expected: integer
            serviceDefaults.autoscaling.enabled          | yes        | Invalid type. Expected: boolean
            serviceDefaults.topologySpread.whenUnsatisfiable | Sometimes | must be one of the following
            services.api-gateway.calls[0]                | keycloak   | must be one of the following
            monitoring.dashboards.enabeld                | true       | Additional property enabeld is not allowed
            monitoring.rules.thresholds.errorRatio       | 5          | Must be less than or equal to 1
            monitoring.rules.runbookBaseUrl              | docs/runbooks/alerts.md | Does not match pattern
            """)
    void theSchemaRejectsTyposAndWrongTypes(String key, String value, String expected) {
        assertThatThrownBy(() -> Charts.render(List.of(), Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            image.tag                                       | latest | Fix: set image.tag to a version
            serviceDefaults.strategy.maxSurge               | 0      | a rolling update can never make progress. Fix:
            serviceDefaults.autoscaling.minReplicas         | 9      | minReplicas (9) is above maxReplicas (4). Fix:
            services.ingestion-service.pdb.maxUnavailable   | 2      | lets a drain evict all 2 replicas at once. Fix:
            services.graph-gateway.secretEnv.SPRING_RABBITMQ_PASSWORD.existingSecret | '' | has no existingSecret. Fix:
            edge.tls.secretName                             | ''     | served without TLS. Fix:
            services.api-gateway.enabled                    | false  | Kong would route to nothing. Fix:
            """)
    void impossibleCombinationsFailWithTheFix(String key, String value, String expected) {
        assertThatThrownBy(() -> Charts.render(List.of(), Map.of(key, value)))
                .hasMessageContaining("VALUES VALIDATION")
                .hasMessageContaining(expected);
    }

    @Test
    void aDisabledCalleeIsNamedWithItsFix() {
        assertThatThrownBy(() -> Charts.render(List.of(), Map.of("services.ingestion-service.enabled", "false")))
                .hasMessageContaining("services.api-gateway.calls names \"ingestion-service\", which is not an enabled service")
                .hasMessageContaining("services.graph-gateway.calls names \"ingestion-service\"");
    }

    @Test
    void strictParsingRefusesAFieldTheModelDoesNotKnow() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  replica: 2
                  selector:
                    matchLabels: {app: typo}
                  template:
                    metadata:
                      labels: {app: typo}
                    spec:
                      containers:
                        - name: app
                          image: example/app:1.0.0
                          livenessProbe:
                            httpGet: {path: /, prot: management}
                """;
        assertThatThrownBy(() -> Rendered.parse(typo))
                .hasMessageContaining("Deployment/typo.spec: unknown field(s) [replica]")
                .hasMessageContaining("livenessProbe.httpGet: unknown field(s) [prot]");
        assertThatThrownBy(() -> Rendered.parse("apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n"))
                .hasMessageContaining("not known to fabric8's model");
    }
}

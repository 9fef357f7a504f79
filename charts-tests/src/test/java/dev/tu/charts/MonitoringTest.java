package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tu.testsupport.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The monitoring content of the chart: Grafana dashboards (JSON files rendered into sidecar ConfigMaps) and
 * the PrometheusRule. Every PromQL expression names only metrics the services publish (or standard ones
 * from the JVM, Kubernetes and the Kafka client), every tu_* family is documented in docs/observability.md,
 * and every alert links to a section of docs/runbooks/alerts.md that exists.
 */
class MonitoringTest {

    /** Metric families the services publish (Micrometer names in Prometheus form), without suffixes. */
    private static final Set<String> TU_FAMILIES = Set.of("tu_uploads", "tu_uploads_bytes", "tu_outbox_backlog",
            "tu_analyzer_seconds", "tu_analyses", "tu_bridge_messages", "tu_bridge_refused", "tu_workflows",
            "tu_dead_letters_captured", "tu_graphql_subscriptions", "tu_bridge_lag_messages");

    /** Spring's own timers (documented in docs/observability.md too). */
    private static final Set<String> SPRING_FAMILIES = Set.of("http_server_requests_seconds",
            "spring_kafka_listener_seconds", "spring_rabbit_listener_seconds");

    /** Standard metrics: Micrometer's JVM/process binders, kube-state-metrics, the Kafka client, Prometheus. */
    private static final List<String> STANDARD_PREFIXES = List.of("jvm_", "process_", "kube_pod_",
            "kafka_consumer_fetch_manager_");

    private static final Set<String> SUFFIXES = Set.of("_total", "_sum", "_count", "_max", "_bucket");

    /** The alerts the issue asks for: bridge lag, DLQ growth, failed analyses, error rate, pods restarting. */
    private static final Set<String> REQUIRED_ALERTS = Set.of("TuBridgeConsumerLag", "TuBridgeRefusing",
            "TuDeadLettersGrowing", "TuAnalysesFailing", "TuWorkflowsFailing", "TuHighErrorRate",
            "TuPodRestarting", "TuOutboxBacklogGrowing");

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDashboardParsesHasUniqueUidAndQueriesOnlyKnownMetrics() {
        Map<String, JsonNode> dashboards = dashboardFiles();
        Set<String> expected = new LinkedHashSet<>(List.of("overview"));
        for (Service service : Service.values()) {
            expected.add(service.id());
        }
        assertThat(dashboards.keySet()).as("one overview and one dashboard per service")
                .containsExactlyInAnyOrderElementsOf(expected);
        Set<String> uids = new HashSet<>();
        for (Map.Entry<String, JsonNode> dashboard : dashboards.entrySet()) {
            String name = dashboard.getKey();
            JsonNode root = dashboard.getValue();
            assertThat(uids.add(root.path("uid").asText())).as("%s has a unique uid", name).isTrue();
            assertThat(root.path("title").asText()).as("%s title", name).isNotBlank();
            List<String> expressions = new ArrayList<>();
            for (JsonNode panel : root.path("panels")) {
                if ("row".equals(panel.path("type").asText())) {
                    continue;
                }
                String where = name + " / " + panel.path("title").asText();
                assertThat(panel.path("targets").size()).as("%s has queries", where).isPositive();
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    assertKnownMetrics(where, expr);
                    assertThat(expr).as("%s is scoped to the chosen namespace", where).contains("namespace=\"$namespace\"");
                    expressions.add(expr);
                }
            }
            if (!name.equals("overview")) {
                assertThat(expressions).as("%s shows its RED metrics and its JVM", name)
                        .anyMatch(expr -> expr.contains("http_server_requests_seconds_count"))
                        .anyMatch(expr -> expr.contains("jvm_memory_used_bytes"))
                        .allMatch(expr -> !expr.contains("job=~") || expr.contains("job=~\".*" + name + "\""));
            }
        }
        Set<String> overviewFamilies = families(dashboards.get("overview"));
        assertThat(overviewFamilies).as("the overview shows every domain metric of the pipeline")
                .containsAll(TU_FAMILIES.stream().filter(family -> !family.equals("tu_uploads_bytes")).toList());
    }

    @Test
    void dashboardsRenderAsSidecarConfigMapsOnlyWhenEnabled() throws IOException {
        Map<String, JsonNode> files = dashboardFiles();
        Rendered enabled = Rendered.parse(scenario("ci-monitoring").render());
        List<ConfigMap> sidecar = enabled.all(ConfigMap.class).stream()
                .filter(map -> "1".equals(map.getMetadata().getLabels().get("grafana_dashboard"))).toList();
        assertThat(sidecar).as("one labelled ConfigMap per dashboard file").hasSize(files.size());
        for (ConfigMap map : sidecar) {
            assertThat(map.getData()).as(map.getMetadata().getName()).hasSize(1);
            Map.Entry<String, String> entry = map.getData().entrySet().iterator().next();
            String name = entry.getKey().replaceFirst("^tu-", "").replaceFirst("\\.json$", "");
            assertThat(files).as("%s carries a dashboard file", map.getMetadata().getName()).containsKey(name);
            assertThat(JSON.readTree(entry.getValue())).as("%s is the file, unchanged", name).isEqualTo(files.get(name));
        }
        Rendered disabled = Rendered.parse(scenario("ci-default").render());
        assertThat(disabled.all(ConfigMap.class))
                .noneMatch(map -> map.getMetadata().getLabels().containsKey("grafana_dashboard"));
        assertThat(disabled.custom("PrometheusRule")).as("no rules unless monitoring.rules.enabled").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasSeverityASummaryAndARunbookSectionThatExists() throws IOException {
        Set<String> anchors = headingAnchors(Charts.root().resolve("docs/runbooks/alerts.md"));
        Rendered rendered = Rendered.parse(scenario("ci-monitoring").render());
        List<GenericKubernetesResource> rules = rendered.custom("PrometheusRule");
        assertThat(rules).hasSize(1);
        GenericKubernetesResource rule = rules.getFirst();
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getMetadata().getLabels()).as("labels from monitoring.rules.labels")
                .containsEntry("release", "kube-prometheus-stack");
        Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        Set<String> alerts = new LinkedHashSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
            for (Map<String, Object> alert : (List<Map<String, Object>>) group.get("rules")) {
                String name = (String) alert.get("alert");
                assertThat(name).as("every rule is an alert").isNotBlank();
                assertThat(alerts.add(name)).as("%s is unique", name).isTrue();
                String expr = String.valueOf(alert.get("expr"));
                assertKnownMetrics(name, expr);
                assertThat(expr).as("%s is scoped to the release namespace", name).contains("namespace=\"tu\"");
                Map<String, String> labels = (Map<String, String>) alert.get("labels");
                assertThat(labels).as(name).containsKey("severity");
                assertThat(labels.get("severity")).as(name).isIn("warning", "critical");
                Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
                assertThat(annotations.get("summary")).as("%s summary", name).isNotBlank();
                String runbook = annotations.get("runbook_url");
                assertThat(runbook).as("%s runbook_url", name)
                        .startsWith("https://github.com/tu-suite/tu/blob/main/docs/runbooks/alerts.md#");
                String anchor = runbook.substring(runbook.indexOf('#') + 1);
                assertThat(anchors).as("%s: docs/runbooks/alerts.md has the heading #%s", name, anchor).contains(anchor);
            }
        }
        assertThat(alerts).as("the alerts that matter").containsAll(REQUIRED_ALERTS);
    }

    @Test
    void everyTuMetricFamilyIsDocumented() throws IOException {
        String doc = Files.readString(Charts.root().resolve("docs/observability.md"));
        for (String family : TU_FAMILIES) {
            assertThat(doc).as("docs/observability.md documents %s", family).contains("`" + family);
        }
    }

    private static void assertKnownMetrics(String where, String expr) {
        Matcher matcher = SELECTOR.matcher(expr);
        boolean any = false;
        while (matcher.find()) {
            any = true;
            String metric = matcher.group(1);
            boolean known = metric.equals("up") || STANDARD_PREFIXES.stream().anyMatch(metric::startsWith)
                    || TU_FAMILIES.contains(family(metric)) || SPRING_FAMILIES.contains(family(metric));
            assertThat(known).as("%s queries %s, which no service publishes (expr: %s)", where, metric, expr).isTrue();
            if (metric.startsWith("tu_") || SPRING_FAMILIES.contains(family(metric))) {
                assertThat(metric).as("%s: %s is a counter (_total) or a timer/summary part", where, metric)
                        .satisfiesAnyOf(
                                m -> assertThat(Set.of("tu_outbox_backlog", "tu_workflows", "tu_graphql_subscriptions",
                                        "tu_bridge_lag_messages")).contains(m),
                                m -> assertThat(SUFFIXES.stream().anyMatch(m::endsWith)).isTrue());
            }
            if (metric.endsWith("_total") || metric.endsWith("_bucket")
                    || (metric.endsWith("_sum") || metric.endsWith("_count")) && !expr.contains("sum_over_time")) {
                assertThat(expr).as("%s: the counter %s is read through rate()/increase()", where, metric)
                        .containsPattern("(rate|increase)\\(\\s*" + Pattern.quote(metric));
            }
        }
        assertThat(any).as("%s has a metric selector: %s", where, expr).isTrue();
    }

    private static String family(String metric) {
        for (String suffix : SUFFIXES) {
            if (metric.endsWith(suffix) && !TU_FAMILIES.contains(metric)) {
                return metric.substring(0, metric.length() - suffix.length());
            }
        }
        return metric;
    }

    private static Set<String> families(JsonNode dashboard) {
        Set<String> families = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = SELECTOR.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    families.add(family(matcher.group(1)));
                }
            }
        }
        return families;
    }

    private static Map<String, JsonNode> dashboardFiles() {
        Map<String, JsonNode> dashboards = new TreeMap<>();
        try (Stream<Path> files = Files.list(Charts.sourceChart().resolve("dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                dashboards.put(file.getFileName().toString().replace(".json", ""), JSON.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dashboards;
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces to dashes. */
    static Set<String> headingAnchors(Path markdown) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static Charts.Scenario scenario(String name) {
        return Charts.scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}

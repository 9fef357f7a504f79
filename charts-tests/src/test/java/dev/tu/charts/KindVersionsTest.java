package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kind/*.sh install every upstream chart and manifest at a version pinned in kind/versions.env, every
 * infrastructure piece the brief asks for is installed, and every values file they pass exists. (The cluster
 * itself cannot run on the project's machines; this keeps the scripts and their inputs consistent.)
 */
class KindVersionsTest {

    private static final Pattern HELM_INSTALL = Pattern.compile("^helm\\s+(upgrade\\s+--install|install)\\s+(\\S+)\\s+(\\S+)(.*)$");
    private static final Pattern VERSION_FLAG = Pattern.compile("\\s--version(?:\\s+|=)\"?\\$\\{?([A-Z0-9_]+)\\}?\"?(?:\\s|$)");
    private static final Pattern REMOTE_APPLY = Pattern.compile("^kubectl\\s+apply\\s.*-f\\s+\"?(https?://\\S+?)\"?(?:\\s|$)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z0-9_]+)\\}?");

    @Test
    void everyUpstreamChartIsPinnedEveryInfrastructurePieceIsInstalledAndEveryValuesFileExists() throws IOException {
        Path kind = Charts.root().resolve("kind");
        Map<String, String> pinned = pinnedVersions(kind.resolve("versions.env"));

        Map<String, String> releases = new LinkedHashMap<>(); // release → chart
        List<String> remoteManifests = new ArrayList<>();
        List<String> unpinned = new ArrayList<>();
        for (Path script : scripts(kind)) {
            for (String command : commands(Files.readString(script))) {
                Matcher install = HELM_INSTALL.matcher(command);
                if (install.matches()) {
                    String release = install.group(2);
                    String chart = install.group(3);
                    releases.put(release, chart);
                    if (chart.equals("\"$ROOT/charts/tu\"")) {
                        continue; // the local chart: its version is the checkout
                    }
                    Matcher version = VERSION_FLAG.matcher(install.group(4));
                    if (!version.find() || !pinned.containsKey(version.group(1))) {
                        unpinned.add(kind.relativize(script) + ": " + command);
                    }
                }
                Matcher apply = REMOTE_APPLY.matcher(command);
                if (apply.find()) {
                    remoteManifests.add(apply.group(1));
                    Matcher variable = VARIABLE.matcher(apply.group(1));
                    if (!variable.find() || !pinned.containsKey(variable.group(1))) {
                        unpinned.add(kind.relativize(script) + ": " + command);
                    }
                }
            }
        }
        assertThat(unpinned).as("helm installs of upstream charts and remote manifests without a version pinned in"
                + " kind/versions.env (--version \"$SOME_VERSION\")").isEmpty();
        assertThat(releases).as("the local chart is installed").containsEntry("tu", "\"$ROOT/charts/tu\"");

        String up = Files.readString(kind.resolve("up.sh"));
        // The brief's infrastructure: from upstream charts or operators, each at a pinned version.
        assertThat(releases).as("Kafka (Strimzi operator)").containsKey("strimzi");
        assertAppliesManifestWith(kind, up, "infra/kafka.yaml", "kind: Kafka");
        assertThat(remoteManifests).as("RabbitMQ (cluster operator)")
                .anyMatch(url -> url.contains("rabbitmq/cluster-operator") && url.contains("$RABBITMQ_OPERATOR_VERSION"));
        assertAppliesManifestWith(kind, up, "infra/rabbitmq.yaml", "kind: RabbitmqCluster");
        assertThat(releases).as("PostgreSQL (CloudNativePG operator)").containsKey("cnpg");
        assertAppliesManifestWith(kind, up, "infra/postgres.yaml", "apiVersion: postgresql.cnpg.io/v1");
        assertThat(releases).as("Keycloak").containsEntry("keycloak", "codecentric/keycloakx");
        assertThat(releases).as("the object store").containsEntry("object-store", "minio/minio");
        assertThat(releases).as("the OpenTelemetry collector")
                .containsEntry("otel-collector", "open-telemetry/opentelemetry-collector");
        assertThat(releases).as("metrics-server (the HPAs read CPU from it)")
                .containsEntry("metrics-server", "metrics-server/metrics-server");
        assertThat(releases).as("Kong (ingress controller and edge)").containsEntry("kong", "kong/kong");
        assertThat(releases).as("the observability releases").containsKeys("kube-prometheus-stack", "loki", "jaeger",
                "otel-logs");

        Matcher values = Pattern.compile("\\$KIND_DIR/(infra/[A-Za-z0-9_.-]+\\.yaml)").matcher(up);
        while (values.find()) {
            assertThat(kind.resolve(values.group(1))).as("kind/%s", values.group(1)).isRegularFile();
        }
    }

    @Test
    void anUnpinnedInstallIsFound() {
        List<String> commands = commands("""
                # helm install commented out --version "$X"
                helm upgrade --install kafka bitnami/kafka \\
                  -n tu-infra --wait
                log "helm upgrade --install tu (a message, not a command)"
                helm upgrade --install kong kong/kong --version "$KONG_CHART_VERSION" -n kong
                """);
        assertThat(commands).hasSize(3);
        Matcher unpinned = HELM_INSTALL.matcher(commands.getFirst());
        assertThat(unpinned.matches()).isTrue();
        assertThat(VERSION_FLAG.matcher(unpinned.group(4)).find()).as("no --version: found").isFalse();
        Matcher pinned = HELM_INSTALL.matcher(commands.getLast());
        assertThat(pinned.matches()).isTrue();
        Matcher version = VERSION_FLAG.matcher(pinned.group(4));
        assertThat(version.find()).isTrue();
        assertThat(version.group(1)).isEqualTo("KONG_CHART_VERSION");
    }

    private static Map<String, String> pinnedVersions(Path versionsFile) throws IOException {
        Map<String, String> pinned = new LinkedHashMap<>();
        Matcher assignment = Pattern.compile("(?m)^([A-Z0-9_]+)=(\\S+)").matcher(Files.readString(versionsFile));
        while (assignment.find()) {
            assertThat(assignment.group(2)).as("%s is a fixed version", assignment.group(1))
                    .matches("v?[0-9]+\\.[0-9]+\\.[0-9]+|[^:]+:[0-9][0-9.]*");
            pinned.put(assignment.group(1), assignment.group(2));
        }
        return pinned;
    }

    private static void assertAppliesManifestWith(Path kind, String script, String manifest, String content)
            throws IOException {
        assertThat(script).as("kind/up.sh applies kind/%s", manifest).contains("kubectl apply -f \"$KIND_DIR/" + manifest + "\"");
        assertThat(Files.readString(kind.resolve(manifest))).as("kind/%s", manifest).contains(content);
    }

    private static List<Path> scripts(Path kind) throws IOException {
        try (Stream<Path> files = Files.list(kind)) {
            return files.filter(file -> file.toString().endsWith(".sh")).sorted().toList();
        }
    }

    /** The script's commands: continuation lines joined, comments and blank lines dropped, leading blanks stripped. */
    static List<String> commands(String script) {
        List<String> commands = new ArrayList<>();
        for (String line : script.replaceAll("\\\\\\n", " ").split("\n")) {
            String command = line.strip();
            if (!command.isEmpty() && !command.startsWith("#")) {
                commands.add(command);
            }
        }
        return commands;
    }
}

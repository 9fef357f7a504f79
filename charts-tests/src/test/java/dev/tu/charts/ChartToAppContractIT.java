package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.EnvFile;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.SuiteLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart-to-app contract, with the real application: each service is started from its jar with the
 * environment the chart renders for it, and must serve its API on the chart's http port and answer the
 * chart's probe paths on the chart's management port.
 *
 * <p>What differs from the cluster, and why: the chart is rendered with free loopback ports (so this never
 * collides with the local suite on 808x/908x and needs no suite lock); values that name in-cluster hosts
 * are replaced by the harness's local addresses (same keys, deploy/env values); SERVER_ADDRESS is
 * 127.0.0.1 (servers here bind loopback only); secret-backed credentials come from the application's
 * local defaults (the cluster's Secrets do not exist here). Everything else — JAVA_TOOL_OPTIONS, CORS
 * origins, downstream URIs' keys, the issuer — is the chart's. The default run starts
 * {@code -Dtu.contract.services} (ingestion-service and api-gateway); {@code -Pchart-contract-all} all six, in
 * parallel, with a longer readiness limit ({@code -Dtu.contract.readiness-seconds}): on two shared cores six JVMs
 * starting at once take minutes.
 */
class ChartToAppContractIT {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyServiceServesOnTheChartsPortsAndProbePaths() throws Exception {
        SuiteLayout layout = SuiteLayout.locate();
        List<Service> services = Arrays.stream(System.getProperty("tu.contract.services", "ingestion-service").split(","))
                .map(String::strip).map(id -> Arrays.stream(Service.values()).filter(s -> s.id().equals(id)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown service " + id)))
                .toList();
        Path logDir = layout.root().resolve("charts-tests/target/service-logs");
        List<Started> started = new ArrayList<>();
        try {
            for (Service service : services) {
                int httpPort = freePort();
                int managementPort = freePort();
                Rendered rendered = Rendered.parse(Charts.render(List.of(),
                        Map.of("ports.http", String.valueOf(httpPort), "ports.management", String.valueOf(managementPort))));
                Map<String, String> chartEnv = ChartEnvContractTest.chartEnvironment(rendered, service);
                Map<String, String> runEnv = runEnvironment(layout, service, chartEnv);
                Container container = ChartEnvContractTest.container(rendered, service);
                started.add(new Started(service, container, chartEnv,
                        ServiceProcess.start(service, layout, logDir, runEnv)));
            }
            for (Started each : started) {
                each.process().awaitReady(Duration.ofSeconds(Long.getLong("tu.contract.readiness-seconds", 240)));
                assertServesAsTheChartSays(each);
            }
        } finally {
            started.forEach(each -> each.process().terminate());
            started.forEach(each -> each.process().close());
        }
    }

    private static void assertServesAsTheChartSays(Started started) throws Exception {
        String id = started.service().id();
        Container container = started.container();
        int management = ChartEnvContractTest.port(container, "management");
        int api = ChartEnvContractTest.port(container, "http");
        assertThat(started.process().managementUri().getPort()).as("%s listens for management where the chart says", id)
                .isEqualTo(management);
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            assertThat(status(management, probe.getHttpGet().getPath()))
                    .as("%s answers the chart's probe %s on port %d", id, probe.getHttpGet().getPath(), management).isEqualTo(200);
        }
        int apiStatus = status(api, "/");
        assertThat(apiStatus).as("%s serves HTTP on the chart's http port %d", id, api).isBetween(200, 499);
        assertThat(status(api, "/actuator/health/liveness"))
                .as("%s does not expose actuator on the API port (only on management)", id).isNotEqualTo(200);
    }

    /** The harness's env file overlaid with the chart's keys; see the class comment for the local substitutions. */
    private static Map<String, String> runEnvironment(SuiteLayout layout, Service service, Map<String, String> chartEnv) {
        Map<String, String> harness = EnvFile.read(layout.envFile(service), layout.infrastructure());
        Map<String, String> run = new LinkedHashMap<>();
        chartEnv.forEach((key, value) -> {
            if (value.startsWith("secret:")) {
                return; // a Secret in the cluster; the local defaults of the application stand in
            }
            run.put(key, harness.containsKey(key) && !key.endsWith("_PORT") ? harness.get(key) : value);
        });
        run.put("SERVER_PORT", chartEnv.get("SERVER_PORT"));
        run.put("MANAGEMENT_SERVER_PORT", chartEnv.get("MANAGEMENT_SERVER_PORT"));
        run.put("SERVER_ADDRESS", "127.0.0.1");
        run.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI",
                layout.infrastructure().get("TU_ISSUER_URI") + "/protocol/openid-connect/certs");
        if (harness.containsKey("SPRING_RABBITMQ_PORT")) {
            run.put("SPRING_RABBITMQ_PORT", harness.get("SPRING_RABBITMQ_PORT"));
        }
        return run;
    }

    private static int status(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Started(Service service, Container container, Map<String, String> chartEnv, ServiceProcess process) {
    }
}

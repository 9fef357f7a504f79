package dev.tu.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tu.testsupport.EnvFile;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.SuiteLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart-to-app contract, with the real application: each service is started from its jar with the
 * environment the chart renders for it, and must serve its API on the chart's http port, answer the chart's
 * probe paths on the chart's management port, and run within what the chart mounts.
 *
 * <p>Only what cannot exist outside the cluster is replaced by its local equivalent; every other value the
 * chart gives is used as it is (JAVA_TOOL_OPTIONS, database names, bucket, CORS origins, realm path, tracing
 * switches...):
 * <ul>
 * <li>in-cluster addresses, found from the chart's own values (infrastructure.*, oidc.*, the release's
 * Service names): only the host (and port) part is swapped for the local infrastructure's, so
 * {@code jdbc:postgresql://tu-postgres-rw.tu-infra.svc:5432/tu_ingestion} runs as
 * {@code jdbc:postgresql://127.0.0.1:5432/tu_ingestion}; a value that still names a cluster host afterwards
 * fails the test (a new address needs a local equivalent here);
 * <li>SERVER_ADDRESS: 127.0.0.1, not the pod's all-interfaces address (servers here bind loopback only);
 * <li>secret-backed variables: the harness's value where deploy/env defines the key, else the application's
 * local default (the cluster's Secrets do not exist here);
 * <li>paths inside the image (TU_MODELS_DIR=/models): the harness's path to the same files;
 * ChartEnvContractTest checks that the Dockerfile puts them where the chart says;
 * <li>the chart's mounts: the /tmp emptyDir is a fresh directory, made java.io.tmpdir.
 * </ul>
 * The chart is rendered with free loopback ports (so this never collides with the local suite on 808x/908x).
 * Services start one after another, each stopped before the next (low memory and CPU); by default all six
 * ({@code -Dtu.contract.services} names a subset).
 */
class ChartToAppContractIT {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern CLUSTER_HOST = Pattern.compile("[a-z0-9-]+\\.svc\\b|//" + Charts.RELEASE + "-[a-z-]+[:/]");

    @Test
    void everyServiceRunsWithTheChartsEnvironmentPortsProbesAndMounts() throws Exception {
        SuiteLayout layout = SuiteLayout.locate();
        List<Service> services = Arrays.stream(System.getProperty("tu.contract.services",
                        Arrays.stream(Service.values()).map(Service::id).reduce((a, b) -> a + "," + b).orElseThrow()).split(","))
                .map(String::strip).map(id -> Arrays.stream(Service.values()).filter(s -> s.id().equals(id)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown service " + id)))
                .toList();
        Path logDir = layout.root().resolve("charts-tests/target/service-logs");
        Duration readiness = Duration.ofSeconds(Long.getLong("tu.contract.readiness-seconds", 240));
        Map<String, Duration> timings = new LinkedHashMap<>();
        Map<String, Throwable> failures = new LinkedHashMap<>();
        for (Service service : services) {
            try {
                timings.put(service.id(), runAsTheChartSays(layout, service, logDir, readiness));
            } catch (Exception | AssertionError e) {
                failures.put(service.id(), e); // the next service still runs: one run reports every broken contract
            }
        }
        System.out.println("Chart-to-app contract, time to ready per service: " + timings);
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("The chart-to-app contract fails for " + failures.keySet());
            failures.values().forEach(error::addSuppressed);
            throw error;
        }
    }

    /** Starts one service with the chart's environment, checks it, stops it; returns the time until it was ready. */
    private static Duration runAsTheChartSays(SuiteLayout layout, Service service, Path logDir, Duration readiness)
            throws Exception {
        long begin = System.nanoTime();
        int httpPort = freePort();
        int managementPort = freePort();
        Rendered rendered = Rendered.parse(Charts.render(List.of(),
                Map.of("ports.http", String.valueOf(httpPort), "ports.management", String.valueOf(managementPort))));
        Map<String, String> chartEnv = ChartEnvContractTest.chartEnvironment(rendered, service);
        Container container = ChartEnvContractTest.container(rendered, service);
        Files.createDirectories(logDir);
        Path tmp = Files.createTempDirectory(logDir.getParent(), service.id() + "-tmp-");
        Map<String, String> runEnv = runEnvironment(layout, service, chartEnv, httpPort, mounts(rendered, service, tmp));
        ServiceProcess process = ServiceProcess.start(service, layout, logDir, runEnv);
        try {
            process.awaitReady(readiness);
            Duration ready = Duration.ofNanos(System.nanoTime() - begin);
            assertServesAsTheChartSays(service, container, process);
            assertReadsTheChartsValues(service, chartEnv, runEnv, process);
            assertWritesOnlyWhereTheChartMounts(service, rendered, process, tmp);
            return ready;
        } finally {
            process.close();
            try (Stream<Path> written = Files.walk(tmp)) {
                for (Path path : written.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void assertServesAsTheChartSays(Service service, Container container, ServiceProcess process)
            throws Exception {
        String id = service.id();
        int management = ChartEnvContractTest.port(container, "management");
        int api = ChartEnvContractTest.port(container, "http");
        assertThat(process.managementUri().getPort()).as("%s listens for management where the chart says", id)
                .isEqualTo(management);
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            assertThat(status(management, probe.getHttpGet().getPath(), Map.of()))
                    .as("%s answers the chart's probe %s on port %d", id, probe.getHttpGet().getPath(), management).isEqualTo(200);
        }
        int apiStatus = status(api, "/", Map.of());
        assertThat(apiStatus).as("%s serves HTTP on the chart's http port %d", id, api).isBetween(200, 499);
        assertThat(status(api, "/actuator/health/liveness", Map.of()))
                .as("%s does not expose actuator on the API port (only on management)", id).isNotEqualTo(200);
    }

    /**
     * Values the chart gives and the application demonstrably took: the JVM options (the JVM prints what it picked
     * up), and where a value changes behaviour that can be seen from outside, that behaviour (the gateway's CORS
     * origin is the console's host, not the local default); the Keycloak paths the chart names exist.
     */
    private static void assertReadsTheChartsValues(Service service, Map<String, String> chartEnv, Map<String, String> runEnv,
            ServiceProcess process) throws Exception {
        assertThat(Files.readString(process.logFile()))
                .as("%s's JVM picked up the chart's JAVA_TOOL_OPTIONS", service.id())
                .contains("Picked up JAVA_TOOL_OPTIONS: " + chartEnv.get("JAVA_TOOL_OPTIONS"));
        // The realm path and the JWKS path are the chart's (only the Keycloak host was swapped): they exist.
        String jwks = runEnv.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI");
        assertThat(send(URI.create(jwks), "GET", Map.of()).statusCode()).as("%s: the chart's JWKS path %s", service.id(), jwks)
                .isEqualTo(200);
        String issuer = runEnv.get("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI");
        assertThat(send(URI.create(issuer + "/.well-known/openid-configuration"), "GET", Map.of()).statusCode())
                .as("%s: the chart's issuer realm %s", service.id(), issuer).isEqualTo(200);
        if (service == Service.API_GATEWAY) {
            assertThat(chartEnv).as("the chart gives api-gateway its CORS origins").containsKey("TU_EDGE_CORSORIGINS");
            String origin = chartEnv.get("TU_EDGE_CORSORIGINS");
            assertThat(origin).startsWith("https://");
            HttpResponse<Void> preflight = send(process.baseUri().resolve("/api/v1/images"), "OPTIONS", Map.of(
                    "Origin", origin, "Access-Control-Request-Method", "POST"));
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                    .as("api-gateway allows the chart's console origin %s (TU_EDGE_CORSORIGINS)", origin).contains(origin);
        }
    }

    /**
     * The pod's root filesystem is read-only: the application may write only into what the chart mounts, and
     * within the emptyDir's size limit. Every regular file the process holds open for writing lies in the /tmp
     * stand-in, and what it wrote there while starting fits the chart's sizeLimit.
     */
    private static void assertWritesOnlyWhereTheChartMounts(Service service, Rendered rendered, ServiceProcess process,
            Path tmp) throws IOException {
        Volume volume = podVolume(rendered, service, "tmp");
        Quantity limit = volume.getEmptyDir().getSizeLimit();
        assertThat(limit).as("%s: the /tmp emptyDir has a size limit", service.id()).isNotNull();
        long used;
        try (Stream<Path> files = Files.walk(tmp)) {
            used = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        assertThat(BigDecimal.valueOf(used)).as("%s wrote %d bytes into /tmp, within the chart's sizeLimit %s",
                service.id(), used, limit).isLessThan(Quantity.getAmountInBytes(limit));

        Path fds = Path.of("/proc", String.valueOf(process.pid()), "fd");
        if (!Files.isDirectory(fds)) {
            return; // not Linux: the open-file check needs /proc
        }
        List<String> outside = new ArrayList<>();
        try (Stream<Path> entries = Files.list(fds)) {
            for (Path fd : entries.toList()) {
                int number = Integer.parseInt(fd.getFileName().toString());
                Path target;
                String info;
                try {
                    target = Files.readSymbolicLink(fd);
                    info = Files.readString(fds.resolveSibling("fdinfo").resolve(String.valueOf(number)));
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                // 0-2: stdin/out/err, which the container runtime owns in the pod.
                if (number <= 2 || !target.isAbsolute() || target.startsWith("/proc") || target.startsWith("/dev")) {
                    continue;
                }
                int flags = Integer.parseInt(info.lines().filter(line -> line.startsWith("flags:")).findFirst()
                        .orElse("flags: 0").substring("flags:".length()).strip(), 8);
                boolean writable = (flags & 3) != 0; // O_WRONLY or O_RDWR
                if (writable && !target.startsWith(tmp)) {
                    outside.add(target.toString());
                }
            }
        }
        assertThat(outside).as("%s holds files open for writing outside the chart's mounts (read-only root"
                + " filesystem in the pod)", service.id()).isEmpty();
    }

    /**
     * The chart's mounts, each as the local directory that stands for it. Only the /tmp emptyDir exists today;
     * a new mount fails here until the test gives it a local equivalent.
     */
    private static Map<String, Path> mounts(Rendered rendered, Service service, Path tmp) {
        Container container = ChartEnvContractTest.container(rendered, service);
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = podVolume(rendered, service, mount.getName());
            assertThat(mount.getMountPath().equals("/tmp") && volume.getEmptyDir() != null)
                    .as("%s mounts %s (%s): the contract test has no local equivalent for it", service.id(),
                            mount.getMountPath(), volume).isTrue();
            mounts.put(mount.getMountPath(), tmp);
        }
        assertThat(mounts).as("%s: the chart mounts a writable /tmp (the root filesystem is read-only)", service.id())
                .containsKey("/tmp");
        return mounts;
    }

    private static Volume podVolume(Rendered rendered, Service service, String name) {
        Deployment deployment = rendered.find(Deployment.class, Charts.RELEASE + "-" + service.id()).orElseThrow();
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> name.equals(volume.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(service.id() + " mounts volume " + name + " that the pod lacks"));
    }

    /** The chart's environment with only the local substitutions of the class comment. */
    static Map<String, String> runEnvironment(SuiteLayout layout, Service service, Map<String, String> chartEnv,
            int httpPort, Map<String, Path> mounts) {
        Map<String, String> infra = layout.infrastructure();
        Map<String, String> harness = EnvFile.read(layout.envFile(service), infra);
        Map<String, String> addresses = clusterAddresses(layout, httpPort);
        Map<String, String> run = new LinkedHashMap<>();
        chartEnv.forEach((key, value) -> {
            if (value.startsWith("secret:")) {
                if (harness.containsKey(key)) {
                    run.put(key, harness.get(key));
                }
                return; // else the application's local default stands in for the cluster's Secret
            }
            String local = value;
            for (Map.Entry<String, String> address : addresses.entrySet()) {
                local = local.replace(address.getKey(), address.getValue());
            }
            run.put(key, local);
        });
        // Host and port given as two variables (SPRING_RABBITMQ_HOST/PORT): the port goes with the host.
        JsonNode rabbit = chartValues().path("infrastructure").path("rabbitmq");
        chartEnv.forEach((key, value) -> {
            if (key.endsWith("_HOST") && value.equals(rabbit.path("host").asText())) {
                run.put(key, infra.get("TU_RABBITMQ_HOST"));
                String portKey = key.substring(0, key.length() - "_HOST".length()) + "_PORT";
                assertThat(chartEnv.get(portKey)).as("%s: %s goes with %s", service.id(), portKey, key)
                        .isEqualTo(rabbit.path("port").asText());
                run.put(portKey, infra.get("TU_RABBITMQ_PORT"));
            }
        });
        run.put("SERVER_ADDRESS", "127.0.0.1");
        chartEnv.forEach((key, value) -> {
            if (value.startsWith("/") && !value.startsWith("//")) {
                assertThat(harness).as("%s: %s=%s is a path in the image; the harness names the local one", service.id(),
                        key, value).containsKey(key);
                run.put(key, harness.get(key));
            }
        });
        // In the pod java.io.tmpdir is the JVM's default /tmp, which the chart mounts as an emptyDir.
        run.put("JAVA_TOOL_OPTIONS", chartEnv.get("JAVA_TOOL_OPTIONS") + " -Djava.io.tmpdir=" + mounts.get("/tmp"));

        run.forEach((key, value) -> assertThat(CLUSTER_HOST.matcher(value).find())
                .as("%s: %s=%s still names a cluster address; give it a local equivalent in this test", service.id(), key,
                        value).isFalse());
        assertThat(run.keySet()).as("%s: every harness key is set from the chart (nothing of deploy/env leaks in)",
                service.id()).containsAll(harness.keySet().stream()
                        .filter(key -> !chartEnv.getOrDefault(key, "").startsWith("secret:")).toList());
        return run;
    }

    /**
     * In-cluster address (as the chart's values name it) → the local infrastructure's. Prefixes only, so what
     * follows (database name, realm path) stays the chart's.
     */
    private static Map<String, String> clusterAddresses(SuiteLayout layout, int httpPort) {
        Map<String, String> infra = layout.infrastructure();
        JsonNode values = chartValues();
        JsonNode infrastructure = values.path("infrastructure");
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put(infrastructure.path("postgres").path("host").asText() + ":" + infrastructure.path("postgres").path("port").asText(),
                infra.get("TU_POSTGRES_HOST") + ":" + infra.get("TU_POSTGRES_PORT"));
        addresses.put(infrastructure.path("kafka").path("bootstrap").asText(), infra.get("TU_KAFKA_BOOTSTRAP"));
        addresses.put(infrastructure.path("objectStore").path("endpoint").asText(), infra.get("TU_S3_ENDPOINT"));
        addresses.put(origin(values.path("oidc").path("issuerUri").asText()), infra.get("TU_KEYCLOAK_URL"));
        addresses.put(origin(values.path("oidc").path("jwkSetUri").asText()), infra.get("TU_KEYCLOAK_URL"));
        for (Service other : Service.values()) {
            // In the cluster every Service listens on ports.http (rendered here as httpPort); locally each
            // service has its own port.
            String port = EnvFile.read(layout.envFile(other), infra).get("SERVER_PORT");
            addresses.put("//" + Charts.RELEASE + "-" + other.id() + ":" + httpPort, "//127.0.0.1:" + port);
        }
        return addresses;
    }

    private static JsonNode chartValues() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Charts.sourceChart().resolve("values.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String origin(String uri) {
        URI parsed = URI.create(uri);
        return parsed.getScheme() + "://" + parsed.getRawAuthority();
    }

    private static int status(int port, String path, Map<String, String> headers) throws Exception {
        return send(URI.create("http://127.0.0.1:" + port + path), "GET", headers).statusCode();
    }

    private static HttpResponse<Void> send(URI uri, String method, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

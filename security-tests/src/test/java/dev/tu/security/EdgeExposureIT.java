package dev.tu.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * API8 (misconfiguration) and API9 (inventory) at the edge, API4 (rate limit) on the real gateway: only the
 * routed API is reachable through the api-gateway; actuators answer on the management port only and show
 * health, info and metrics, nothing that dumps memory or configuration; every service's internal API needs a
 * token even from inside the network.
 */
class EdgeExposureIT {

    private static Suite suite;
    private static URI gateway;
    private static String admin;

    @BeforeAll
    static void suite() {
        suite = Suite.shared();
        gateway = suite.get(Service.API_GATEWAY).baseUri();
        admin = Keycloak.local().accessToken("admin");
    }

    @Test
    void actuatorsAndInternalApisAreNotReachableThroughTheGateway() {
        List<String> paths = List.of("actuator", "actuator/health", "actuator/env", "actuator/heapdump",
                "actuator/prometheus", "actuator/gateway/routes", "actuator/configprops", "actuator/loggers",
                "api/v1/analyses", "api/v1/admin/dead-letters", "fallback/ingestion-service",
                "api/v1/images/..%2F..%2F..%2Factuator%2Fenv", "api/v1/images/%2e%2e/%2e%2e/actuator/env",
                "v3/api-docs", "swagger-ui.html", "graphiql", "h2-console", ".env", ".git/config");
        for (String path : paths) {
            HttpResponse<String> response = Http.get(gateway.resolve(path), admin);
            assertThat(response.statusCode()).as("GET /%s through the gateway with an admin token: %s", path,
                    response.body()).isIn(400, 401, 403, 404, 405);
            assertThat(response.body()).as(path).doesNotContain("\"propertySources\"").doesNotContain("jvm_memory")
                    .doesNotContain("\"routes\"").doesNotContain("Exception");
        }
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void theManagementPortShowsHealthInfoAndMetricsOnly(Service service) {
        ServiceProcess process = suite.get(service);
        for (String path : List.of("actuator/env", "actuator/heapdump", "actuator/threaddump", "actuator/configprops",
                "actuator/beans", "actuator/loggers", "actuator/mappings", "actuator/shutdown")) {
            HttpResponse<String> response = Http.get(process.managementUri().resolve(path), admin);
            assertThat(response.statusCode()).as("%s %s", service, path).isIn(401, 403, 404, 405);
        }
        HttpResponse<String> health = Http.get(process.managementUri().resolve("actuator/health"), null);
        assertThat(health.body()).as("no component details to anonymous callers").doesNotContain("\"components\"");
        assertThat(Http.get(process.baseUri().resolve("actuator/health"), null).statusCode())
                .as("%s: actuators are not on the API port", service).isIn(401, 404);
    }

    /** Inside the network is not trusted: the internal APIs need a token like the public ones. */
    @Test
    void internalApisRefuseCallsWithoutAToken() {
        URI orchestrator = suite.get(Service.ORCHESTRATOR).baseUri();
        URI ingestion = suite.get(Service.INGESTION).baseUri();
        URI graph = suite.get(Service.GRAPH_GATEWAY).baseUri();
        for (URI uri : List.of(orchestrator.resolve("api/v1/analyses"),
                orchestrator.resolve("api/v1/analyses/" + UUID.randomUUID()),
                orchestrator.resolve("api/v1/admin/dead-letters"),
                ingestion.resolve("api/v1/images"), ingestion.resolve("api/v1/images/" + UUID.randomUUID() + "/content"))) {
            assertThat(Http.get(uri, null).statusCode()).as("GET %s without a token", uri).isEqualTo(401);
        }
        assertThat(Http.post(orchestrator.resolve("api/v1/analyses/" + UUID.randomUUID() + "/reanalysis"), null,
                "application/json", "").statusCode()).isEqualTo(401);
        assertThat(Http.post(orchestrator.resolve("api/v1/admin/dead-letters/replay"), null, "application/json", "{}")
                .statusCode()).isEqualTo(401);
        assertThat(Http.post(graph.resolve("graphql"), null, "application/json", "{\"query\":\"{ me { tenant } }\"}")
                .statusCode()).isEqualTo(401);
    }

    /** A burst over the per-user bucket (100) on the real gateway: some 429s with Retry-After, the rest served. */
    @Test
    void aBurstOverTheRateLimitIs429() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = gateway.resolve("api/v1/images/" + UUID.randomUUID());
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 220; i++) {
            burst.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = burst.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> limited = responses.stream().filter(response -> response.statusCode() == 429).toList();
        assertThat(limited).as("429s in a burst of 220").isNotEmpty();
        assertThat(limited.getFirst().headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.getFirst().body()).contains("\"status\":429");
        assertThat(responses).as("the rest reached the service (404: no such image)")
                .anyMatch(response -> response.statusCode() == 404);
    }
}

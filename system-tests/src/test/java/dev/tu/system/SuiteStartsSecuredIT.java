package dev.tu.system;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The foundation's promise: all six services start as separate processes with the chart's
 * environment, answer liveness and readiness on their management ports, and each one checks tokens
 * itself — no token is 401, a real Keycloak token is accepted, a tampered one is 401.
 */
class SuiteStartsSecuredIT {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static Suite suite;
    private static String aliceToken;

    @BeforeAll
    static void startSuite() {
        aliceToken = Keycloak.local().accessToken("alice");
        suite = Suite.shared();
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void answersLivenessAndReadiness(Service service) {
        ServiceProcess process = suite.get(service);
        assertThat(process.probe("/actuator/health/liveness")).isEqualTo(200);
        assertThat(process.probe("/actuator/health/readiness")).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void refusesARequestWithoutAToken(Service service) throws Exception {
        HttpResponse<String> response = get(suite.get(service).baseUri().resolve("api/v1/me"), null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void acceptsAKeycloakTokenAndSeesTheTenant(Service service) throws Exception {
        HttpResponse<String> response = get(suite.get(service).baseUri().resolve("api/v1/me"), aliceToken);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"tenant\":\"acme\"").contains("\"username\":\"alice\"");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void refusesATamperedToken(Service service) throws Exception {
        String[] parts = aliceToken.split("\\.");
        String forgedPayload = parts[1].substring(0, parts[1].length() - 2)
                + (parts[1].endsWith("A") ? "BB" : "AA");
        String tampered = parts[0] + "." + forgedPayload + "." + parts[2];
        assertThat(get(suite.get(service).baseUri().resolve("api/v1/me"), tampered).statusCode()).isEqualTo(401);
    }

    @Test
    void graphQlAnswersWithTheCallerDirectlyAndThroughTheApiGateway() throws Exception {
        String query = "{\"query\":\"{ me { tenant username roles } }\"}";
        Stream.of(Service.GRAPH_GATEWAY, Service.API_GATEWAY).forEach(service -> {
            URI graphql = suite.get(service).baseUri().resolve("graphql");
            HttpResponse<String> anonymous = post(graphql, query, null);
            HttpResponse<String> authenticated = post(graphql, query, aliceToken);

            assertThat(anonymous.statusCode()).as("%s without token", service).isEqualTo(401);
            assertThat(authenticated.statusCode()).as("%s with token", service).isEqualTo(200);
            assertThat(authenticated.body()).contains("\"tenant\":\"acme\"").contains("tu-uploader");
        });
    }

    private static HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

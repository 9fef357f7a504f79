package dev.tu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.SuiteLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway serves the web console from the web-console jar without a token, with a CSP that allows
 * only itself and Keycloak, and tells it where Keycloak is; the API behind it still needs a token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ConsoleServingIT {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
    }

    @LocalServerPort
    int port;

    @Test
    void thePageAndItsBundlesAreServedWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<div id=\"root\"></div>").doesNotContain("http://", "https://");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        String keycloak = URI.create(infra.get("TU_ISSUER_URI")).resolve("/").toString().replaceAll("/$", "");
        assertThat(csp).contains("default-src 'self'", "script-src 'self';", "connect-src 'self' " + keycloak,
                "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        Matcher script = Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"").matcher(page.body());
        assertThat(script.find()).as("the page loads its bundle from /console/assets").isTrue();
        HttpResponse<String> bundle = get(script.group(1));
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("graphql-transport-ws");
    }

    @Test
    void theRootLeadsToTheConsoleAndItsConfigurationNamesKeycloak() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(307);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");

        HttpResponse<String> config = get("/console/config.json");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"issuer\":\"" + infra.get("TU_ISSUER_URI") + "\"", "\"clientId\":\"tu-web\"");
    }

    @Test
    void theApiBehindTheConsoleStillNeedsAToken() throws Exception {
        assertThat(get("/api/v1/images").statusCode()).isEqualTo(401);
        assertThat(get("/console/../api/v1/images").statusCode()).isIn(400, 401, 404);
        assertThat(get("/graphql?access_token=not-a-token").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package dev.tu.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real tokens from the dev realm imported from {@code infra/keycloak/tu-realm.json}. */
public final class Keycloak {

    /** Public client of the console; direct access grants are on in the dev realm only. */
    public static final String CLI_CLIENT = "tu-cli";
    /** Confidential service-account client; its secret is a dev-only value. */
    public static final String SYSTEM_CLIENT = "tu-system";
    private static final String SYSTEM_SECRET = "dev-only-tu-system-secret";

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private final URI tokenEndpoint;
    /** Tokens live 300 s in the dev realm; reusing one for a minute spares Keycloak a request per call. */
    private final Map<String, CachedToken> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private record CachedToken(String value, java.time.Instant reuseUntil) {
    }

    private Keycloak(URI issuer) {
        this.tokenEndpoint = URI.create(issuer + "/protocol/openid-connect/token");
    }

    /** The realm the local infrastructure runs (issuer from {@code .state/infra.env}). */
    public static Keycloak local() {
        return LOCAL;
    }

    private static final Keycloak LOCAL =
            new Keycloak(URI.create(SuiteLayout.locate().infrastructure().get("TU_ISSUER_URI")));

    /** An access token for a dev user ({@code alice}, {@code bob}, {@code carol}, {@code admin}). */
    public String accessToken(String user) {
        return cached("user:" + user, () -> token(Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", user,
                "password", "dev-only-" + user, "scope", "openid")));
    }

    /** A new access token for a dev user, never a cached one: for tests that depend on its lifetime. */
    public String freshAccessToken(String user) {
        return token(Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", user,
                "password", "dev-only-" + user, "scope", "openid"));
    }

    /** An access token for the {@code tu-system} service account (client credentials). */
    public String serviceAccountToken() {
        return cached("client:" + SYSTEM_CLIENT, () -> token(Map.of("grant_type", "client_credentials",
                "client_id", SYSTEM_CLIENT, "client_secret", SYSTEM_SECRET)));
    }

    private String cached(String key, java.util.function.Supplier<String> fetch) {
        java.time.Instant now = java.time.Instant.now();
        CachedToken token = cache.compute(key, (k, current) -> current != null && current.reuseUntil().isAfter(now)
                ? current : new CachedToken(fetch.get(), now.plusSeconds(60)));
        return token.value();
    }

    private String token(Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token (" + response.statusCode() + "): "
                        + response.body());
            }
            JsonNode token = json.readTree(response.body());
            return token.get("access_token").asString();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + tokenEndpoint
                    + ": start the infrastructure with scripts/infra.sh up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

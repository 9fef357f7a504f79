package dev.tu.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.tu.testsupport.GraphQl;
import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import dev.tu.testsupport.Uploads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * API2 (broken authentication) from the outside. Against the shared suite, every service refuses what an
 * attacker can make without the realm's private key. To prove each claim check on its own, one
 * graph-gateway (servlet) and one api-gateway (WebFlux) are started on other ports trusting a key this
 * test holds: a token correct but for one claim is then refused for that claim alone. Those two start
 * before their JWK set answers, which is the "identity provider unreachable" case: 401, never 500.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenAttacksIT {

    private static final String ISSUER = SuiteLayout.locate().infrastructure().get("TU_ISSUER_URI");
    private static final RSAKey trusted = Tokens.rsaKey("tu-security-test");
    private static Suite suite;
    private static int jwksPort;
    private static HttpServer jwks;
    private static final List<ServiceProcess> ownKeyServices = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.shared();
        jwksPort = freePort();
        int[] ports = {freePort(), freePort(), freePort(), freePort()};
        // Both start at once (start-up dominates on two cores); neither fetches the JWK set until a token arrives.
        var graph = CompletableFuture.supplyAsync(() -> Suite.startOne(Service.GRAPH_GATEWAY,
                ownKeyOverrides(ports[0], ports[1])));
        var edge = CompletableFuture.supplyAsync(() -> Suite.startOne(Service.API_GATEWAY,
                ownKeyOverrides(ports[2], ports[3])));
        ownKeyServices.add(graph.join());
        ownKeyServices.add(edge.join());
    }

    @AfterAll
    static void stop() {
        ownKeyServices.forEach(ServiceProcess::close);
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    private static Map<String, String> ownKeyOverrides(int port, int managementPort) {
        return Map.of("SERVER_PORT", String.valueOf(port), "MANAGEMENT_SERVER_PORT", String.valueOf(managementPort),
                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI", "http://127.0.0.1:" + jwksPort + "/certs");
    }

    // --- the shared suite: what can be forged without the realm's private key --------------------------------

    @ParameterizedTest
    @EnumSource(Service.class)
    @Order(1)
    void forgeriesAreRefusedBy(Service service) {
        URI me = suite.get(service).baseUri().resolve("api/v1/me");
        String alice = Keycloak.local().accessToken("alice");
        JWTClaimsSet real = Tokens.claimsOf(alice);
        RSAKey realmKey = Tokens.realmSigningKey(ISSUER);
        JWTClaimsSet otherTenant = new JWTClaimsSet.Builder(real).claim("tenant", "globex").build();
        RSAKey impostor = Tokens.rsaKey(realmKey.getKeyID());

        Map<String, String> forgeries = new java.util.LinkedHashMap<>();
        forgeries.put("alg=none with a real token's claims", Tokens.unsigned(real));
        forgeries.put("HS256 signed with the realm's public key", Tokens.hs256WithPublicKey(realmKey.toPublicJWK(), real));
        forgeries.put("unknown kid", Tokens.rs256(Tokens.rsaKey("no-such-kid"), real));
        forgeries.put("the realm's kid, another key", Tokens.rs256(impostor, real));
        forgeries.put("tampered payload (tenant changed, signature kept)", Tokens.withPayload(alice, otherTenant));
        forgeries.put("malformed: not a JWT", "not-a-jwt");
        forgeries.put("malformed: three empty parts", "..");
        forgeries.put("malformed: garbage base64", "e30.%%%.AAAA");
        forgeries.put("malformed: header only", alice.split("\\.")[0]);
        forgeries.forEach((attack, token) -> assertRefused(Http.get(me, token), service + ": " + attack));

        assertRefused(Http.get(me, null), service + ": no token");
        for (String header : List.of("Bearer", "Bearer ", "Basic YWxpY2U6ZGV2LW9ubHktYWxpY2U=", "bearer  " + alice + " x")) {
            HttpResponse<String> response = Http.getWithAuthorization(me, header);
            assertThat(response.statusCode()).as("%s: Authorization: %s", service, header).isIn(400, 401);
            assertNoLeak(response);
        }
        assertThat(Http.get(me, alice).statusCode()).as("%s: the real token still works", service).isEqualTo(200);
    }

    /** API5: a valid token without the role an operation needs is 403 (REST) or FORBIDDEN (GraphQL). */
    @Test
    @Order(2)
    void aValidTokenWithoutTheNeededRoleIsForbidden() {
        String carol = Keycloak.local().accessToken("carol");
        String alice = Keycloak.local().accessToken("alice");
        URI gateway = suite.get(Service.API_GATEWAY).baseUri();

        HttpResponse<String> upload = Uploads.upload(gateway, carol, HostileImages.png(32, 32), "image/png",
                "reader.png", null, null);
        assertThat(upload.statusCode()).as("a reader uploads: %s", upload.body()).isEqualTo(403);
        HttpResponse<String> deadLetters = Http.get(
                suite.get(Service.ORCHESTRATOR).baseUri().resolve("api/v1/admin/dead-letters"), alice);
        assertThat(deadLetters.statusCode()).as("an analyst lists dead letters").isEqualTo(403);
        assertNoLeak(deadLetters);
        assertThat(Http.post(suite.get(Service.ORCHESTRATOR).baseUri().resolve(
                        "api/v1/analyses/00000000-0000-0000-0000-000000000001/reanalysis"), carol, "application/json", "")
                .statusCode()).as("a reader asks for a re-analysis").isEqualTo(403);
        GraphQl graph = new GraphQl(gateway.resolve("graphql"));
        assertThat(graph.post(carol, "mutation { requestReanalysis(imageId: \"00000000-0000-0000-0000-000000000001\") { status } }",
                Map.of()).errorCodes()).containsExactly("FORBIDDEN");
    }

    // --- services that trust this test's key -------------------------------------------------------------------

    /** The JWK set URI answers nothing (connection refused): every request is 401, not a 500. */
    @Test
    @Order(3)
    void anUnreachableKeySetIs401NotA500() {
        String token = Tokens.rs256(trusted, Tokens.claims(ISSUER, "acme").build());
        for (ServiceProcess service : ownKeyServices) {
            HttpResponse<String> response = Http.get(service.baseUri().resolve("api/v1/me"), token);
            assertThat(response.statusCode()).as("%s with its JWK set unreachable: %s", service.service(), response.body())
                    .isEqualTo(401);
            assertNoLeak(response);
        }
    }

    @Test
    @Order(4)
    void eachClaimIsCheckedOnItsOwn() throws IOException {
        serveTrustedKeySet();
        Instant now = Instant.now();
        Map<String, JWTClaimsSet> attacks = new java.util.LinkedHashMap<>();
        attacks.put("expired beyond the 60 s skew", Tokens.claims(ISSUER, "acme")
                .issueTime(Date.from(now.minusSeconds(900))).notBeforeTime(Date.from(now.minusSeconds(900)))
                .expirationTime(Date.from(now.minusSeconds(300))).build());
        attacks.put("not valid for another five minutes", Tokens.claims(ISSUER, "acme")
                .notBeforeTime(Date.from(now.plusSeconds(300))).build());
        attacks.put("another issuer", Tokens.claims("http://127.0.0.1:8180/realms/evil", "acme").build());
        attacks.put("another audience", Tokens.claims(ISSUER, "acme").audience("account").build());
        attacks.put("no audience", Tokens.claims(ISSUER, "acme").audience((String) null).build());
        attacks.put("no tenant", Tokens.claims(ISSUER, "acme").claim("tenant", null).build());
        attacks.put("no expiry", Tokens.claims(ISSUER, "acme").expirationTime(null).build());

        for (ServiceProcess service : ownKeyServices) {
            URI me = service.baseUri().resolve("api/v1/me");
            HttpResponse<String> control = Http.get(me, Tokens.rs256(trusted, Tokens.claims(ISSUER, "acme").build()));
            assertThat(control.statusCode()).as("%s accepts a correct token signed with the key it trusts: %s",
                    service.service(), control.body()).isEqualTo(200);
            assertThat(control.body()).contains("\"tenant\":\"acme\"");
            attacks.forEach((attack, claims) -> assertRefused(Http.get(me, Tokens.rs256(trusted, claims)),
                    service.service() + ": " + attack));
            assertRefused(Http.get(me, Tokens.rs256(Tokens.rsaKey("tu-security-test"), Tokens.claims(ISSUER, "acme").build())),
                    service.service() + ": the trusted kid with another key");
            assertRefused(Http.get(me, Tokens.hs256WithPublicKey(trusted.toPublicJWK(), Tokens.claims(ISSUER, "acme").build())),
                    service.service() + ": HS256 with the trusted public key");
            assertRefused(Http.get(me, Tokens.unsigned(Tokens.claims(ISSUER, "acme").build())),
                    service.service() + ": alg=none");
        }
    }

    private static void serveTrustedKeySet() throws IOException {
        byte[] body = new JWKSet(trusted.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", jwksPort), 0);
        jwks.createContext("/certs", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
    }

    private static void assertRefused(HttpResponse<String> response, String attack) {
        assertThat(response.statusCode()).as("%s: %s", attack, response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(attack)
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertNoLeak(response);
    }

    /** An error tells the caller what to fix, never how the server is built. */
    static void assertNoLeak(HttpResponse<String> response) {
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.tu.")
                .doesNotContain("org.springframework");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
                .doesNotContain("Exception").doesNotContain("Couldn't retrieve");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

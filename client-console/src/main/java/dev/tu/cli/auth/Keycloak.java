package dev.tu.cli.auth;

import dev.tu.cli.CliException;
import dev.tu.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The realm's OpenID Connect endpoints: device authorization, token (device, client credentials, refresh), revoke. */
public final class Keycloak {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI issuer;
    private final Clock clock;

    public Keycloak(HttpClient http, URI issuer, Clock clock) {
        this.http = http;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** What the person must do to approve a device login. */
    public record DeviceAuthorization(String deviceCode, String userCode, URI verificationUri,
            URI verificationUriComplete, Duration expiresIn, Duration interval) {
    }

    public DeviceAuthorization startDeviceLogin(String clientId) {
        JsonNode answer = post("protocol/openid-connect/auth/device", Map.of("client_id", clientId, "scope", "openid"));
        if (answer.has("error")) {
            throw new CliException(ExitCodes.AUTH, "Keycloak refused the device login for client " + clientId + ": "
                    + describe(answer) + " (is the OAuth 2.0 Device Authorization Grant enabled for it?)");
        }
        return new DeviceAuthorization(answer.path("device_code").asString(), answer.path("user_code").asString(),
                URI.create(answer.path("verification_uri").asString()),
                URI.create(answer.path("verification_uri_complete").asString()),
                Duration.ofSeconds(answer.path("expires_in").asLong(600)),
                Duration.ofSeconds(Math.max(1, answer.path("interval").asLong(5))));
    }

    /**
     * Polls the token endpoint at the interval Keycloak asked for until the person approved, refused, or
     * the code expired (RFC 8628 §3.5: {@code authorization_pending}, {@code slow_down}).
     */
    public StoredTokens awaitDeviceLogin(String clientId, DeviceAuthorization device) {
        Instant deadline = clock.instant().plus(device.expiresIn());
        Duration interval = device.interval();
        while (clock.instant().isBefore(deadline)) {
            pause(interval);
            JsonNode answer = post("protocol/openid-connect/token", Map.of("grant_type", DEVICE_GRANT,
                    "client_id", clientId, "device_code", device.deviceCode()));
            switch (answer.path("error").asString("")) {
                case "" -> {
                    return tokens("device", clientId, answer);
                }
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval = interval.plusSeconds(5);
                case "access_denied" -> throw new CliException(ExitCodes.AUTH, "The login was refused in the browser.");
                case "expired_token" -> throw new CliException(ExitCodes.AUTH, "The code expired before it was approved: run tu login again.");
                default -> throw new CliException(ExitCodes.AUTH, "Keycloak refused the login: " + describe(answer));
            }
        }
        throw new CliException(ExitCodes.AUTH, "The code expired before it was approved: run tu login again.");
    }

    public StoredTokens clientCredentials(String clientId, String secret) {
        JsonNode answer = post("protocol/openid-connect/token", Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret));
        if (answer.has("error")) {
            throw new CliException(ExitCodes.AUTH, "Keycloak refused client " + clientId + ": " + describe(answer));
        }
        return tokens("client_credentials", clientId, answer);
    }

    /** New tokens from the refresh token; null when Keycloak no longer accepts it (session over). */
    public StoredTokens refresh(StoredTokens current) {
        JsonNode answer = post("protocol/openid-connect/token", Map.of("grant_type", "refresh_token",
                "client_id", current.clientId(), "refresh_token", current.refreshToken()));
        if (answer.has("error")) {
            return null;
        }
        return tokens(current.grant(), current.clientId(), answer);
    }

    /** Ends the Keycloak session behind a refresh token (best effort: logout works offline too). */
    public void revoke(StoredTokens tokens) {
        if (tokens.refreshToken() == null) {
            return;
        }
        try {
            post("protocol/openid-connect/revoke", Map.of("client_id", tokens.clientId(),
                    "token", tokens.refreshToken(), "token_type_hint", "refresh_token"));
        } catch (CliException e) {
            // Keycloak unreachable: the local cache is still removed.
        }
    }

    private StoredTokens tokens(String grant, String clientId, JsonNode answer) {
        Instant now = clock.instant();
        String access = answer.path("access_token").asString();
        long refreshLife = answer.path("refresh_expires_in").asLong(0);
        String refresh = answer.path("refresh_token").asString(null);
        return new StoredTokens(grant, clientId, access, now.plusSeconds(answer.path("expires_in").asLong(60)),
                refresh, refresh == null || refreshLife == 0 ? null : now.plusSeconds(refreshLife), username(access));
    }

    /** The token's preferred_username (display only; the services verify the token themselves). */
    static String username(String accessToken) {
        String[] parts = accessToken.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        return claims.path("preferred_username").asString(claims.path("sub").asString(null));
    }

    private JsonNode post(String path, Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&"));
        URI endpoint = URI.create(issuer + "/" + path);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500 || response.statusCode() == 404) {
                throw new CliException(ExitCodes.UNAVAILABLE, "Keycloak at " + issuer + " answered HTTP "
                        + response.statusCode() + " (is the realm right? --issuer, --profile)");
            }
            return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "Keycloak at " + issuer + " cannot be reached ("
                    + e.getClass().getSimpleName() + "). Is the suite running (./dev up)?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "Interrupted.");
        }
    }

    private void pause(Duration interval) {
        try {
            Thread.sleep(interval); // the device grant asks clients to wait this long between polls
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "Interrupted while waiting for the login.");
        }
    }

    private static String describe(JsonNode error) {
        return error.path("error").asString() + (error.has("error_description")
                ? " (" + error.path("error_description").asString() + ")" : "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

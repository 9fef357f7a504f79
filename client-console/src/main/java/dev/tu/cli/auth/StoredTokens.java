package dev.tu.cli.auth;

import java.time.Instant;

/**
 * What the cache keeps for one profile. A client secret is never stored: client-credential logins
 * renew from the environment instead.
 *
 * @param grant            how the tokens were obtained: {@code device} or {@code client_credentials}
 * @param clientId         the Keycloak client they belong to
 * @param accessToken      the bearer token sent to the gateway
 * @param accessExpiresAt  when the access token expires
 * @param refreshToken     the refresh token, when Keycloak gave one
 * @param refreshExpiresAt when the refresh token expires (null: no refresh token or no expiry given)
 * @param username         who logged in, for display
 */
public record StoredTokens(String grant, String clientId, String accessToken, Instant accessExpiresAt,
        String refreshToken, Instant refreshExpiresAt, String username) {

    boolean accessValidAt(Instant now) {
        return accessExpiresAt.isAfter(now.plusSeconds(20));
    }

    boolean refreshValidAt(Instant now) {
        return refreshToken != null && (refreshExpiresAt == null || refreshExpiresAt.isAfter(now.plusSeconds(5)));
    }
}

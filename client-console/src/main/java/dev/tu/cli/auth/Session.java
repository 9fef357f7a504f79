package dev.tu.cli.auth;

import dev.tu.cli.CliException;
import dev.tu.cli.ExitCodes;
import java.time.Clock;
import java.util.Map;

/**
 * A valid access token for a profile: from the cache while it lives, refreshed with the refresh token
 * when it expired, or from client credentials when {@code TU_CLIENT_ID} and {@code TU_CLIENT_SECRET} are
 * set (automation: nothing cached then).
 */
public final class Session {

    private final TokenStore store;
    private final Keycloak keycloak;
    private final String profile;
    private final Map<String, String> env;
    private final Clock clock;

    public Session(TokenStore store, Keycloak keycloak, String profile, Map<String, String> env, Clock clock) {
        this.store = store;
        this.keycloak = keycloak;
        this.profile = profile;
        this.env = env;
        this.clock = clock;
    }

    public String accessToken() {
        String clientId = env.get("TU_CLIENT_ID");
        String secret = env.get("TU_CLIENT_SECRET");
        if (clientId != null && !clientId.isBlank() && secret != null && !secret.isBlank()) {
            return keycloak.clientCredentials(clientId, secret).accessToken();
        }
        StoredTokens tokens = store.load(profile).orElseThrow(() -> new CliException(ExitCodes.AUTH,
                "Not logged in (profile " + profile + "). Run: tu login"));
        if (tokens.accessValidAt(clock.instant())) {
            return tokens.accessToken();
        }
        if (tokens.refreshValidAt(clock.instant())) {
            StoredTokens renewed = keycloak.refresh(tokens);
            if (renewed != null) {
                store.save(profile, renewed);
                return renewed.accessToken();
            }
        }
        throw new CliException(ExitCodes.AUTH, "Your session has expired (profile " + profile + "). Run: tu login");
    }
}

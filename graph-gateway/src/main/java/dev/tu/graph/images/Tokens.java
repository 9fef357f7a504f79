package dev.tu.graph.images;

import java.security.Principal;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The caller's bearer token, relayed to the owners so they check it themselves. */
final class Tokens {

    private Tokens() {
    }

    static String of(Principal principal) {
        if (principal instanceof JwtAuthenticationToken jwt) {
            return jwt.getToken().getTokenValue();
        }
        throw new IllegalStateException("No bearer token for this request");
    }
}

package dev.tu.gateway.console;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the browser needs to log in. Locally the browser reaches Keycloak where the services do; on kind
 * it reaches it through the edge, so the issuer is set separately there.
 *
 * @param issuerUri the realm's issuer as the browser reaches it (defaults to the resource server's issuer)
 * @param clientId  the public Keycloak client the console logs in with (authorization code + PKCE)
 */
@Validated
@ConfigurationProperties("tu.console")
public record ConsoleProperties(@NotNull URI issuerUri, @DefaultValue("tu-web") @NotBlank String clientId) {

    /** The Keycloak origin (scheme, host, port), for the Content-Security-Policy. */
    public String keycloakOrigin() {
        return issuerUri.getScheme() + "://" + issuerUri.getRawAuthority();
    }
}

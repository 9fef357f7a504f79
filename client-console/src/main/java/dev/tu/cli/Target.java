package dev.tu.cli;

import java.net.URI;

/**
 * Where the CLI talks to.
 *
 * @param name     the profile name, also the token cache's name
 * @param gateway  the api-gateway's base URI
 * @param issuer   the Keycloak realm's issuer URI
 * @param clientId the public client people log in with (device grant)
 * @param adminApi the analysis-orchestrator's base URI for the administrators' API (dead letters); it is not
 *                 routed through the edge, so on a cluster it is reached through {@code kubectl port-forward}
 */
public record Target(String name, URI gateway, URI issuer, String clientId, URI adminApi) {

    /** The local suite ({@code ./dev up}). */
    static final Target LOCAL = new Target("local", URI.create("http://127.0.0.1:8080"),
            URI.create("http://127.0.0.1:8180/realms/tu"), "tu-cli",
            URI.create("http://127.0.0.1:8086"));
    /** The kind deployment behind Kong (see docs/kubernetes.md; not run on the project's machines). */
    static final Target KIND = new Target("kind", URI.create("https://api.tu.localtest.me"),
            URI.create("https://auth.tu.localtest.me/realms/tu"), "tu-cli",
            URI.create("http://127.0.0.1:8086")); // kubectl -n tu port-forward svc/tu-analysis-orchestrator 8086:8080

    static Target profile(String name) {
        return switch (name) {
            case "local" -> LOCAL;
            case "kind" -> KIND;
            default -> throw new CliException(ExitCodes.USAGE, "Unknown profile '" + name + "': use local or kind.");
        };
    }

    Target with(URI gatewayOverride, URI issuerOverride, URI adminApiOverride) {
        return new Target(name, gatewayOverride == null ? gateway : gatewayOverride,
                issuerOverride == null ? issuer : issuerOverride, clientId,
                adminApiOverride == null ? adminApi : adminApiOverride);
    }
}

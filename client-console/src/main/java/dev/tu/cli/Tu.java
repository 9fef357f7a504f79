package dev.tu.cli;

import dev.tu.cli.api.Gateway;
import dev.tu.cli.api.Tls;
import dev.tu.cli.auth.Keycloak;
import dev.tu.cli.auth.Session;
import dev.tu.cli.auth.TokenStore;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code tu}: the fleet photo analysis suite from the command line. */
@Command(name = "tu", mixinStandardHelpOptions = true, version = "tu 0.1.0",
        description = "Upload machine photos, watch their analysis arrive live, browse the results.",
        footer = {"", "Targets: --profile local (./dev up, the default) or --profile kind; --gateway/--issuer override.",
                "TLS: --ca-cert (or TU_CA_CERT) adds a CA; --profile kind trusts kind/.state/tls/ca.crt when it exists.",
                "Automation: set TU_CLIENT_ID and TU_CLIENT_SECRET to use client credentials without a login.",
                "Tokens are cached owner-only under $XDG_CONFIG_HOME/tu (or ~/.config/tu; TU_CONFIG_DIR overrides).",
                ExitCodes.HELP},
        subcommands = {LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, UploadCommand.class,
                WatchCommand.class, ImagesCommand.class, ShowCommand.class, WhereCommand.class, ReanalyzeCommand.class,
                QueryCommand.class, DeadLettersCommand.class, CommandLine.HelpCommand.class})
public final class Tu {

    /** How results are printed. */
    enum Output { table, json }

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "local (default, the suite of ./dev up) or kind (the Kong edge); also TU_PROFILE.")
    String profile;

    @Option(names = "--gateway", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "api-gateway base URL (overrides the profile; also TU_GATEWAY).")
    URI gateway;

    @Option(names = "--issuer", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Keycloak realm issuer URL (overrides the profile; also TU_ISSUER).")
    URI issuer;

    @Option(names = "--admin-api", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "analysis-orchestrator base URL for tu dead-letters (not routed through the edge; on kind: "
                    + "kubectl -n tu port-forward svc/tu-analysis-orchestrator 8086:8080; also TU_ADMIN_API).")
    URI adminApi;

    @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "PEM",
            description = "Also trust this CA certificate (PEM) for HTTPS and WSS, besides the JDK's. Default with "
                    + "--profile kind: kind/.state/tls/ca.crt of this checkout when it exists (kind/up.sh makes it); "
                    + "also TU_CA_CERT.")
    Path caCert;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people, the default) or json (for programs).")
    Output output;

    private final Map<String, String> env;
    private final Clock clock;
    /** Built on first use, after the options are parsed: its TLS trust depends on --ca-cert and the profile. */
    private HttpClient http;
    static final JsonMapper json = JsonMapper.builder().build();

    Tu(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), Clock.systemUTC()).execute(args));
    }

    /** The command line with its error handling; tests run it in-process with their own streams and env. */
    public static CommandLine commandLine(Map<String, String> env, Clock clock) {
        CommandLine commandLine = new CommandLine(new Tu(env, clock));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parsed) -> {
            if (exception instanceof CliException failure) {
                cmd.getErr().println("tu: " + failure.getMessage());
                cmd.getErr().flush();
                return failure.exitCode();
            }
            throw exception;
        });
        return commandLine;
    }

    Target target() {
        String name = profile != null ? profile : env.getOrDefault("TU_PROFILE", "local");
        URI gatewayOverride = gateway != null ? gateway : uri(env.get("TU_GATEWAY"));
        URI issuerOverride = issuer != null ? issuer : uri(env.get("TU_ISSUER"));
        URI adminApiOverride = adminApi != null ? adminApi : uri(env.get("TU_ADMIN_API"));
        return Target.profile(name).with(gatewayOverride, issuerOverride, adminApiOverride);
    }

    /** One HTTP client for every call and the WebSocket, trusting the extra CA when there is one. */
    synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER);
            caCertificate().ifPresent(pem -> builder.sslContext(Tls.trusting(pem)));
            http = builder.build();
        }
        return http;
    }

    /** --ca-cert, else TU_CA_CERT, else for the kind profile the CA kind/up.sh made, when this checkout has it. */
    Optional<Path> caCertificate() {
        if (caCert != null) {
            return Optional.of(caCert);
        }
        String fromEnv = env.get("TU_CA_CERT");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv));
        }
        if (!"kind".equals(target().name())) {
            return Optional.empty();
        }
        List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        try {
            // ./tu runs client-console/target/*-exec.jar: the checkout is above the jar, wherever the shell is.
            starts.add(Path.of(Tu.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            // No code source to start from (an unusual class loader): the working directory still counts.
        }
        return kindCa(starts);
    }

    /** The first kind/.state/tls/ca.crt in one of {@code starts} or a directory above it. */
    static Optional<Path> kindCa(List<Path> starts) {
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("kind/.state/tls/ca.crt");
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    Map<String, String> env() {
        return env;
    }

    Clock clock() {
        return clock;
    }

    TokenStore tokenStore() {
        return TokenStore.fromEnvironment(env);
    }

    Keycloak keycloak() {
        return new Keycloak(http(), target().issuer(), clock);
    }

    Gateway gateway() {
        Target target = target();
        Session session = new Session(tokenStore(), keycloak(), target.name(), env, clock);
        return new Gateway(http(), target.gateway(), session::accessToken);
    }

    /** The administrators' API, with the same session as the gateway. */
    Gateway adminApi() {
        Target target = target();
        Session session = new Session(tokenStore(), keycloak(), target.name(), env, clock);
        return new Gateway(http(), target.adminApi(), session::accessToken, "The orchestrator's admin API",
                "Is the suite running (./dev up)? On kind: kubectl -n tu port-forward svc/tu-analysis-orchestrator 8086:8080, or --admin-api URL.");
    }

    boolean json() {
        return output == Output.json;
    }

    /** {@code image(id: …)} of a query, or exit 4 when there is no such image (or it is another tenant's). */
    JsonNode image(String query, String imageId) {
        JsonNode image = gateway().graphql(query, java.util.Map.of("id", imageId)).dataOrThrow().path("image");
        if (image.isNull() || image.isMissingNode()) {
            throw new CliException(ExitCodes.NOT_FOUND, "No image " + imageId + " (or it belongs to another organisation).");
        }
        return image;
    }

    static void printJson(PrintWriter out, JsonNode node) {
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out.flush();
    }

    private static URI uri(String value) {
        return value == null || value.isBlank() ? null : URI.create(value);
    }
}

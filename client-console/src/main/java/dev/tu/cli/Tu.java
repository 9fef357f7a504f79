package dev.tu.cli;

import dev.tu.cli.api.Gateway;
import dev.tu.cli.auth.Keycloak;
import dev.tu.cli.auth.Session;
import dev.tu.cli.auth.TokenStore;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people, the default) or json (for programs).")
    Output output;

    private final Map<String, String> env;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
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
        return new Keycloak(http, target().issuer(), clock);
    }

    Gateway gateway() {
        Target target = target();
        Session session = new Session(tokenStore(), keycloak(), target.name(), env, clock);
        return new Gateway(http, target.gateway(), session::accessToken);
    }

    /** The administrators' API, with the same session as the gateway. */
    Gateway adminApi() {
        Target target = target();
        Session session = new Session(tokenStore(), keycloak(), target.name(), env, clock);
        return new Gateway(http, target.adminApi(), session::accessToken, "The orchestrator's admin API",
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

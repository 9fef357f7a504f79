package dev.tu.cli;

import dev.tu.cli.auth.Keycloak;
import dev.tu.cli.auth.StoredTokens;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in. By default with the OAuth 2.0 device authorization grant: open the address shown,",
                "approve in the browser, and the CLI picks up the tokens. --client-credentials logs a service",
                "client in (secret from TU_CLIENT_SECRET)."},
        footer = {"", ExitCodes.HELP})
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Option(names = "--client-credentials", description = "Log in as a confidential client (automation).")
    boolean clientCredentials;

    @Option(names = "--client-id", paramLabel = "ID",
            description = "Client to log in with (default: tu-cli; with --client-credentials: TU_CLIENT_ID or tu-system).")
    String clientId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Target target = tu.target();
        Keycloak keycloak = tu.keycloak();
        StoredTokens tokens;
        if (clientCredentials) {
            String id = clientId != null ? clientId : tu.env().getOrDefault("TU_CLIENT_ID", "tu-system");
            String secret = tu.env().get("TU_CLIENT_SECRET");
            if (secret == null || secret.isBlank()) {
                throw new CliException(ExitCodes.USAGE, "--client-credentials needs the secret in TU_CLIENT_SECRET "
                        + "(never on the command line, where other users could see it).");
            }
            tokens = keycloak.clientCredentials(id, secret);
        } else {
            String id = clientId != null ? clientId : target.clientId();
            Keycloak.DeviceAuthorization device = keycloak.startDeviceLogin(id);
            out.println("To log in, open this address in a browser:");
            out.println();
            out.println("  " + device.verificationUriComplete());
            out.println();
            out.println("and check that it shows the code " + device.userCode() + " (or open " + device.verificationUri()
                    + " and type it).");
            out.println("Waiting for the approval (the code expires in " + device.expiresIn().toMinutes() + " minutes)…");
            out.flush();
            tokens = keycloak.awaitDeviceLogin(id, device);
        }
        tu.tokenStore().save(target.name(), tokens);
        out.println("Logged in as " + tokens.username() + " (profile " + target.name() + ", " + target.gateway()
                + "). Tokens cached in " + tu.tokenStore().file(target.name()) + ".");
        out.flush();
        return ExitCodes.OK;
    }
}

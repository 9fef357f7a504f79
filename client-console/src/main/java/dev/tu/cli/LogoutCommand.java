package dev.tu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "End the Keycloak session and remove the cached tokens of the profile.",
        footer = {"", ExitCodes.HELP})
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String profile = tu.target().name();
        tu.tokenStore().load(profile).ifPresent(tokens -> tu.keycloak().revoke(tokens));
        boolean removed = tu.tokenStore().delete(profile);
        spec.commandLine().getOut().println(removed ? "Logged out (profile " + profile + ")."
                : "Not logged in (profile " + profile + ").");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}

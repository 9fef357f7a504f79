package dev.tu.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = "Who the suite thinks you are: user, tenant, roles.", footer = {"", ExitCodes.HELP})
final class WhoamiCommand implements Callable<Integer> {

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode me = tu.gateway().graphql("{ me { subject username tenant roles } }", Map.of()).dataOrThrow().path("me");
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            Tu.printJson(out, me);
        } else {
            out.printf("%s (tenant %s) roles: %s%n", me.path("username").asString(me.path("subject").asString()),
                    me.path("tenant").asString(), String.join(", ",
                            me.path("roles").valueStream().map(JsonNode::asString).toList()));
            out.flush();
        }
        return ExitCodes.OK;
    }
}

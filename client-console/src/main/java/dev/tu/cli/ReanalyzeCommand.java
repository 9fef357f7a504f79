package dev.tu.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "reanalyze", aliases = "reanalyse", mixinStandardHelpOptions = true,
        description = "Ask for the image to be analysed again (role tu-analyst).",
        footer = {"", "Exits 3 without the role, 4 when the image does not exist.", ExitCodes.HELP})
final class ReanalyzeCommand implements Callable<Integer> {

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE_ID", description = "The image's id.")
    String imageId;

    @Override
    public Integer call() {
        JsonNode analysis = tu.gateway().graphql(
                "mutation($id: ID!) { requestReanalysis(imageId: $id) { imageId status attempts updatedAt } }",
                Map.of("id", imageId)).dataOrThrow().path("requestReanalysis");
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            Tu.printJson(out, analysis);
        } else {
            out.printf("Re-analysis requested for %s: %s, attempt %d. Follow it: tu watch --image %s%n", imageId,
                    analysis.path("status").asString(), analysis.path("attempts").asInt(), imageId);
            out.flush();
        }
        return ExitCodes.OK;
    }
}

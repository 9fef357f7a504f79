package dev.tu.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "where", mixinStandardHelpOptions = true,
        description = "Where is my image? The step it is at (UPLOADED, QUEUED, ANALYZING, COMPLETED, FAILED), since when, and why it is stuck if it is.",
        footer = {"", "Exits 4 when the image does not exist (or belongs to another organisation), 1 when it is stuck.",
                ExitCodes.HELP})
final class WhereCommand implements Callable<Integer> {

    static final String QUERY = """
            query($id: ID!) { image(id: $id) { id originalName whereabouts { step since attempts stuck explanation } } }""";

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE_ID", description = "The image's id (see tu images).")
    String imageId;

    @Override
    public Integer call() {
        JsonNode image = tu.image(QUERY, imageId);
        JsonNode where = image.path("whereabouts");
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            Tu.printJson(out, image);
        } else {
            out.printf("Image     %s  %s%n", image.path("id").asString(), image.path("originalName").asString());
            out.printf("Step      %s since %s (attempts: %d)%s%n", where.path("step").asString(),
                    where.path("since").asString(), where.path("attempts").asInt(),
                    where.path("stuck").asBoolean() ? "  STUCK" : "");
            out.printf("          %s%n", where.path("explanation").asString());
        }
        return where.path("stuck").asBoolean() ? ExitCodes.FAILED : ExitCodes.OK;
    }
}

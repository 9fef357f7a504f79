package dev.tu.cli;

import dev.tu.cli.output.Table;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Your organisation's images, newest first, with their analysis status.",
        footer = {"", ExitCodes.HELP})
final class ImagesCommand implements Callable<Integer> {

    static final String QUERY = """
            query($filter: ImageFilter, $first: Int) {
              images(filter: $filter, first: $first) {
                edges { node { id assetId originalName width height uploadedAt
                  analysis { status attempts result { objects { label } text { label } quality { label } } } } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Option(names = "--asset", paramLabel = "ID", description = "Only the images of this machine.")
    String asset;

    @Option(names = "--first", paramLabel = "N", defaultValue = "20", description = "How many (default 20, at most 100).")
    int first;

    @Override
    public Integer call() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("first", first);
        if (asset != null) {
            variables.put("filter", Map.of("assetId", asset));
        }
        JsonNode images = tu.gateway().graphql(QUERY, variables).dataOrThrow().path("images");
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            Tu.printJson(out, images);
            return ExitCodes.OK;
        }
        Table table = new Table("IMAGE ID", "FILE", "ASSET", "STATUS", "UPLOADED", "FOUND");
        images.path("edges").valueStream().map(edge -> edge.path("node")).forEach(node -> table.row(
                node.path("id").asString(), node.path("originalName").asString(), node.path("assetId").asString(null),
                node.path("analysis").path("status").asString("RECEIVED"), node.path("uploadedAt").asString(),
                ShowCommand.summary(node.path("analysis").path("result"))));
        if (table.isEmpty()) {
            out.println("No images yet. Upload some: tu upload <files|dir>");
        } else {
            table.print(out);
            if (images.path("pageInfo").path("hasNextPage").asBoolean(false)) {
                out.println("(more: tu images --first " + Math.min(100, first * 2) + ")");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}

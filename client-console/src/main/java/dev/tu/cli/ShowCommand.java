package dev.tu.cli;

import dev.tu.cli.output.Table;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "One image and its analysis: every finding with its confidence and box, the quality verdict, EXIF facts, the models that ran.",
        footer = {"", "Exits 4 when the image does not exist (or belongs to another organisation).", ExitCodes.HELP})
final class ShowCommand implements Callable<Integer> {

    private static final String FINDING = "label confidence box { x y width height }";
    static final String QUERY = """
            query($id: ID!) {
              image(id: $id) { id assetId originalName contentType sizeBytes width height capturedAt
                location { latitude longitude } uploadedBy uploadedAt
                analysis { status attempts receivedAt updatedAt failureCode failureDetail
                  result { attempt analyzedAt derivativeKey
                    analyzers { analyzer model modelSha256 durationMs }
                    objects { %1$s } text { %1$s } faces { %1$s } quality { %1$s } exif { %1$s } } } }
            }""".formatted(FINDING);

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE_ID", description = "The image's id (see tu images).")
    String imageId;

    @Override
    public Integer call() {
        JsonNode image = tu.image(QUERY, imageId);
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            Tu.printJson(out, image);
            return ExitCodes.OK;
        }
        JsonNode analysis = image.path("analysis");
        JsonNode result = analysis.path("result");
        out.printf("Image     %s  %s%n", image.path("id").asString(), image.path("originalName").asString());
        out.printf("Asset     %s%n", image.path("assetId").asString("-"));
        out.printf("Size      %d x %d px, %d bytes, %s%n", image.path("width").asInt(), image.path("height").asInt(),
                image.path("sizeBytes").asLong(), image.path("contentType").asString());
        out.printf("Uploaded  %s by %s%n", image.path("uploadedAt").asString(), image.path("uploadedBy").asString());
        out.printf("Status    %s (attempt %d)%s%n", analysis.path("status").asString("RECEIVED"),
                analysis.path("attempts").asInt(0), analysis.path("failureCode").isString()
                        ? ": " + analysis.path("failureCode").asString() + " " + analysis.path("failureDetail").asString("") : "");
        if (result.isObject()) {
            out.printf("Quality   %s%n", verdict(result));
            String exif = result.path("exif").valueStream().map(f -> f.path("label").asString()).collect(Collectors.joining("; "));
            out.printf("EXIF      %s%n", exif.isEmpty() ? "none" : exif);
            out.println();
            Table findings = new Table("KIND", "LABEL", "CONFIDENCE", "BOX (x,y w x h)");
            for (String kind : new String[] {"objects", "text", "faces", "quality"}) {
                result.path(kind).forEach(f -> findings.row(kind, f.path("label").asString(),
                        String.format(Locale.ROOT, "%.2f", f.path("confidence").asDouble()), box(f.path("box"))));
            }
            findings.print(out);
            out.println();
            Table models = new Table("ANALYZER", "MODEL", "MS");
            result.path("analyzers").forEach(a -> models.row(a.path("analyzer").asString(), a.path("model").asString(),
                    a.path("durationMs").asInt()));
            models.print(out);
        } else {
            out.println("No analysis result yet. Follow it live: tu watch --image " + imageId);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String verdict(JsonNode result) {
        return result.path("quality").valueStream().map(f -> f.path("label").asString())
                .filter(label -> label.equals("usable") || label.startsWith("unusable")).findFirst().orElse("-");
    }

    /** One short line of what was found: objects and text. */
    static String summary(JsonNode result) {
        if (!result.isObject()) {
            return "";
        }
        String objects = result.path("objects").valueStream().map(f -> f.path("label").asString()).distinct()
                .collect(Collectors.joining(","));
        String text = result.path("text").valueStream().map(f -> f.path("label").asString()).collect(Collectors.joining(" "));
        return (objects.isEmpty() ? "" : objects) + (text.isEmpty() ? "" : " \"" + text + "\"") + " " + verdict(result);
    }

    private static String box(JsonNode box) {
        return box.isObject() ? box.path("x").asInt() + "," + box.path("y").asInt() + " " + box.path("width").asInt()
                + "x" + box.path("height").asInt() : "-";
    }
}

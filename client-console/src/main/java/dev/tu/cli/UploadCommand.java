package dev.tu.cli;

import dev.tu.cli.api.Gateway;
import dev.tu.cli.output.ProgressBar;
import dev.tu.cli.output.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload photos (JPEG, PNG) through the api-gateway, with a progress bar, then a summary table.",
                "A directory uploads the photos directly in it."},
        footer = {"", "Exits 1 when any file was refused; the table says why.", ExitCodes.HELP})
final class UploadCommand implements Callable<Integer> {

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Photos, or directories of photos.")
    List<Path> paths;

    @Option(names = "--asset", paramLabel = "ID", description = "The machine the photos show, e.g. GEN-125.")
    String asset;

    private record Outcome(Path file, boolean ok, String result, String imageId, String detail) {
    }

    @Override
    public Integer call() {
        List<Path> files = expand(paths);
        if (files.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "No JPEG or PNG photos in " + paths + ".");
        }
        Gateway gateway = tu.gateway();
        ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), System.console() != null && !tu.json());
        List<Outcome> outcomes = new ArrayList<>();
        for (Path file : files) {
            outcomes.add(upload(gateway, file, progress));
        }
        print(outcomes);
        return outcomes.stream().allMatch(Outcome::ok) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Outcome upload(Gateway gateway, Path file, ProgressBar progress) {
        String label = file.getFileName().toString();
        try {
            long size = Files.size(file);
            Gateway.Upload upload = gateway.upload(file, contentType(file), asset,
                    sent -> progress.update(label, sent, size));
            if (upload.status() == 202 || upload.status() == 200) {
                boolean duplicate = upload.body().path("duplicate").asBoolean(false);
                progress.finish(label, duplicate ? "already uploaded" : "uploaded");
                return new Outcome(file, true, duplicate ? "duplicate" : "uploaded",
                        upload.body().path("id").asString(), duplicate ? "same photo uploaded before" : "analysis on its way");
            }
            String detail = upload.body().path("detail").asString(upload.body().path("title").asString(""));
            String code = upload.body().path("code").asString("");
            progress.finish(label, "refused");
            return new Outcome(file, false, "refused (HTTP " + upload.status() + ")", null,
                    detail + (code.isEmpty() ? "" : " [" + code + "]"));
        } catch (IOException e) {
            progress.finish(label, "unreadable");
            return new Outcome(file, false, "unreadable", null, e.getMessage());
        }
    }

    private void print(List<Outcome> outcomes) {
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            ArrayNode array = Tu.json.createArrayNode();
            for (Outcome outcome : outcomes) {
                ObjectNode node = array.addObject();
                node.put("file", outcome.file().toString());
                node.put("ok", outcome.ok());
                node.put("result", outcome.result());
                node.put("imageId", outcome.imageId());
                node.put("detail", outcome.detail());
            }
            Tu.printJson(out, array);
            return;
        }
        Table table = new Table("FILE", "RESULT", "IMAGE ID", "DETAIL");
        outcomes.forEach(o -> table.row(o.file().getFileName(), o.result(), o.imageId(), o.detail()));
        table.print(out);
        long ok = outcomes.stream().filter(Outcome::ok).count();
        out.printf("%d of %d uploaded.%s%n", ok, outcomes.size(),
                ok > 0 ? " Watch the analysis: tu watch" + (asset != null ? " --asset " + asset : "") : "");
        out.flush();
    }

    static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> children = Files.list(path)) {
                    children.filter(Files::isRegularFile).filter(UploadCommand::isPhoto).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new CliException(ExitCodes.USAGE, "No such file or directory: " + path);
            }
        }
        return files;
    }

    private static boolean isPhoto(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }

    /** From the name; the server checks the magic bytes and refuses what is not what it claims. */
    private static String contentType(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
    }
}

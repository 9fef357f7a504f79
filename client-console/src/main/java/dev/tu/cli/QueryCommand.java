package dev.tu.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.core.type.TypeReference;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Send raw GraphQL (a query or mutation) and print the answer as JSON.",
                "Use @FILE to read the document from a file, - to read it from standard input."},
        footer = {"", "Example: tu query '{ images(first: 3) { edges { node { id originalName } } } }'",
                "Exits 1 when the answer carries errors (they are printed too).", ExitCodes.HELP})
final class QueryCommand implements Callable<Integer> {

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "GRAPHQL", description = "The document, @FILE, or - for standard input.")
    String document;

    @Option(names = "--variables", paramLabel = "JSON", description = "Variables as a JSON object.")
    String variables;

    @Override
    public Integer call() {
        Map<String, Object> vars;
        try {
            vars = variables == null ? Map.of()
                    : Tu.json.readValue(variables, new TypeReference<Map<String, Object>>() { });
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, "--variables is not a JSON object: " + e.getMessage());
        }
        var answer = tu.gateway().graphql(read(document), vars);
        Tu.printJson(spec.commandLine().getOut(), answer.body());
        return answer.errors().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static String read(String document) {
        try {
            if (document.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (document.startsWith("@")) {
                return Files.readString(Path.of(document.substring(1)));
            }
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

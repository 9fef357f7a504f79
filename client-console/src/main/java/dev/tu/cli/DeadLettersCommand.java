package dev.tu.cli;

import dev.tu.cli.output.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * The administrators' dead letters (analysis-orchestrator's admin API, which the edge does not route: see
 * {@code --admin-api}): what was given up on, why, in which trace; and replaying it once the cause is fixed.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Messages given up on (Kafka dead-letter topics, RabbitMQ's dead-letter queue): list them, "
                + "show one, replay one or all after a fix. Needs the tu-admin role.",
        subcommands = {DeadLettersCommand.Show.class, DeadLettersCommand.Replay.class},
        footer = {"", "Exits 3 without the tu-admin role, 4 when the dead letter does not exist.", ExitCodes.HELP})
final class DeadLettersCommand implements Callable<Integer> {

    static final String PATH = "/api/v1/admin/dead-letters";

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Option(names = "--pending", description = "Only those not replayed yet.")
    boolean pending;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many, newest first (default 50, at most 1000).")
    int limit;

    @Override
    public Integer call() {
        JsonNode letters = tu.adminApi().call("GET", PATH + "?pending=" + pending + "&limit=" + limit);
        PrintWriter out = spec.commandLine().getOut();
        if (tu.json()) {
            Tu.printJson(out, letters);
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "DEAD-LETTERED", "SOURCE", "EVENT", "TENANT", "REPLAYS", "CAUSE");
        letters.valueStream().forEach(letter -> table.row(letter.path("id").asString(),
                letter.path("deadLetteredAt").asString(), letter.path("source").asString(),
                letter.path("eventId").asString("-"), letter.path("tenant").asString("-"), letter.path("replays").asInt(),
                abbreviate(letter.path("cause").asString(""), 60)));
        if (table.isEmpty()) {
            out.println(pending ? "No dead letters waiting for a replay." : "No dead letters.");
        } else {
            table.print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A dead letter's id is a UUID: anything else is a usage error here, not a server round trip. */
    static String checked(String id) {
        try {
            return java.util.UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "Not a dead letter id: " + id + " (see tu dead-letters).");
        }
    }

    private static String abbreviate(String text, int width) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }

    static void print(PrintWriter out, JsonNode letter) {
        out.printf("Dead letter  %s%n", letter.path("id").asString());
        out.printf("From         %s, captured %s%n", letter.path("source").asString(), letter.path("deadLetteredAt").asString());
        out.printf("Replays to   %s (replayed %d times%s)%n", letter.path("origin").asString(), letter.path("replays").asInt(),
                letter.path("replayedAt").isString() ? ", last " + letter.path("replayedAt").asString() : "");
        out.printf("Event        %s %s (tenant %s, key %s)%n", letter.path("eventType").asString("-"),
                letter.path("eventId").asString("-"), letter.path("tenant").asString("-"), letter.path("key").asString("-"));
        out.printf("Trace        %s%n", letter.path("traceId").asString("-"));
        out.printf("Cause        %s%n", letter.path("cause").asString("-"));
        out.flush();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter: where from, why, its trace.",
            footer = {"", ExitCodes.HELP})
    static final class Show implements Callable<Integer> {

        @ParentCommand
        DeadLettersCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The dead letter's id (see tu dead-letters).")
        String id;

        @Override
        public Integer call() {
            JsonNode letter = parent.tu.adminApi().call("GET", PATH + "/" + checked(id));
            if (parent.tu.json()) {
                Tu.printJson(spec.commandLine().getOut(), letter);
            } else {
                print(spec.commandLine().getOut(), letter);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Sends a dead letter back to where it came from, once: a second replay is refused unless --again. "
                    + "--all replays every one not replayed yet.",
            footer = {"", ExitCodes.HELP})
    static final class Replay implements Callable<Integer> {

        @ParentCommand
        DeadLettersCommand parent;

        @Spec
        CommandSpec spec;

        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "The dead letter to replay.")
            String id;

            @Option(names = "--all", description = "Every dead letter not replayed yet.")
            boolean all;
        }

        @Option(names = "--again", description = "Replay it even though it was replayed before.")
        boolean again;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (which.all) {
                JsonNode replayed = parent.tu.adminApi().call("POST", PATH + "/replay").path("replayed");
                if (parent.tu.json()) {
                    Tu.printJson(out, replayed);
                } else {
                    out.printf("Replayed %d dead letter(s).%n", replayed.size());
                    replayed.valueStream().forEach(id -> out.println("  " + id.asString()));
                    out.flush();
                }
                return ExitCodes.OK;
            }
            JsonNode letter = parent.tu.adminApi().call("POST",
                    PATH + "/" + checked(which.id) + "/replay" + (again ? "?again=true" : ""));
            if (parent.tu.json()) {
                Tu.printJson(out, letter);
            } else {
                out.printf("Replayed to %s (replay %d).%n", letter.path("origin").asString(), letter.path("replays").asInt());
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}

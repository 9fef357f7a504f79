package dev.tu.cli;

import dev.tu.cli.api.Gateway;
import dev.tu.cli.api.Subscription;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow analysis status changes live (GraphQL subscription over WebSocket).",
                "Without --asset or --image: every change in your organisation. Ctrl-C stops."},
        footer = {"", "Output json prints one JSON object a line.",
                "Exits 1 when --timeout passes before --until-done is met, 5 when the connection drops.", ExitCodes.HELP})
final class WatchCommand implements Callable<Integer> {

    private static final Set<String> DONE = Set.of("COMPLETED", "FAILED");
    private static final String SUBSCRIPTION =
            "subscription($ids: [ID!], $asset: ID) { analysisUpdates(imageIds: $ids, assetId: $asset) "
                    + "{ imageId status attempts updatedAt failureCode } }";

    @ParentCommand
    Tu tu;

    @Spec
    CommandSpec spec;

    @Option(names = "--asset", paramLabel = "ID", description = "Only this machine's images.")
    String asset;

    @Option(names = "--image", paramLabel = "ID", description = "Only these images (repeatable).")
    List<String> images;

    @Option(names = "--until-done", description = {"Stop once every image is COMPLETED or FAILED: with --image, every image named;",
            "with --asset, every image that changed since the watch began (start it before the upload)."})
    boolean untilDone;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this many seconds (default: never).")
    Long timeoutSeconds;

    /** An update or the end of the subscription. */
    private record Event(JsonNode update, String ended) {
    }

    @Override
    public Integer call() throws InterruptedException {
        boolean named = images != null && !images.isEmpty();
        if (untilDone && !named && asset == null) {
            throw new CliException(ExitCodes.USAGE, "--until-done needs --image or --asset: over a whole organisation it never ends.");
        }
        PrintWriter out = spec.commandLine().getOut();
        Gateway gateway = tu.gateway();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Map<String, Object> variables = new HashMap<>();
        variables.put("ids", images);
        variables.put("asset", asset);
        Map<String, String> status = new LinkedHashMap<>();
        try (Subscription subscription = gateway.subscribe(SUBSCRIPTION, variables, new Subscription.Listener() {
            @Override
            public void next(JsonNode payload) {
                events.add(new Event(payload, null));
            }

            @Override
            public void ended(String reason) {
                events.add(new Event(null, reason));
            }
        })) {
            String watching = String.format("Watching %s (Ctrl-C stops)…", named ? "images " + String.join(", ", images)
                    : asset != null ? "asset " + asset : "every image of your organisation");
            if (tu.json()) {
                // Not data: stderr, so a program reading stdout gets only JSON lines, and still learns it is subscribed.
                spec.commandLine().getErr().println(watching);
                spec.commandLine().getErr().flush();
            } else {
                out.println(watching);
                out.printf("%-24s  %-36s  %-10s  %s%n", "TIME", "IMAGE ID", "STATUS", "ATTEMPTS");
                out.flush();
            }
            // What the images are now: a change before the subscription started is not missed.
            if (named) {
                for (String id : images) {
                    JsonNode analysis = gateway.graphql("query($id: ID!) { analysis(imageId: $id) { imageId status attempts updatedAt failureCode } }",
                            Map.of("id", id)).dataOrThrow().path("analysis");
                    if (analysis.isObject()) {
                        print(out, analysis);
                        status.put(id, analysis.path("status").asString());
                    }
                }
            }
            Instant deadline = timeoutSeconds == null ? null : Instant.now().plusSeconds(timeoutSeconds);
            while (!(untilDone && done(named ? images : status.keySet(), status))) {
                Duration left = deadline == null ? Duration.ofDays(1) : Duration.between(Instant.now(), deadline);
                Event event = left.isNegative() ? null : events.poll(left.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    if (deadline != null && !Instant.now().isBefore(deadline)) {
                        spec.commandLine().getErr().println("tu: stopped after " + timeoutSeconds + " s"
                                + (untilDone ? " before every image was done." : "."));
                        spec.commandLine().getErr().flush();
                        return untilDone ? ExitCodes.FAILED : ExitCodes.OK;
                    }
                    continue;
                }
                if (event.ended() != null) {
                    throw new CliException(ExitCodes.UNAVAILABLE, "Live updates ended: " + event.ended());
                }
                if (event.update().has("errors")) {
                    throw new CliException(ExitCodes.FAILED, "The subscription failed: " + event.update().path("errors"));
                }
                JsonNode update = event.update().path("data").path("analysisUpdates");
                print(out, update);
                status.put(update.path("imageId").asString(), update.path("status").asString());
            }
            return ExitCodes.OK;
        }
    }

    /** Every one of {@code ids} reached COMPLETED or FAILED (and there is at least one). */
    private static boolean done(java.util.Collection<String> ids, Map<String, String> status) {
        return !ids.isEmpty() && ids.stream().allMatch(id -> DONE.contains(status.get(id)));
    }

    private void print(PrintWriter out, JsonNode update) {
        if (tu.json()) {
            out.println(Tu.json.writeValueAsString(update));
        } else {
            String failure = update.path("failureCode").asString("");
            out.printf("%-24s  %-36s  %-10s  %d%s%n", update.path("updatedAt").asString(""), update.path("imageId").asString(),
                    update.path("status").asString(), update.path("attempts").asInt(), failure.isEmpty() ? "" : "  " + failure);
        }
        out.flush();
    }
}

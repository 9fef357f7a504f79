package dev.tu.testsupport.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LoadGenerator} run did.
 *
 * @param started          when it started
 * @param took             how long it ran, the uploads in flight at the end included
 * @param sent             uploads sent
 * @param accepted         uploads answered 202, with their image ids
 * @param rejectedByReason other answers, by status and problem title
 * @param errorsByKind     uploads without an answer (connection refused, timeout), by exception
 * @param uploadLatency    time to the answer, of every answered upload
 */
public record LoadReport(Instant started, Duration took, int sent, List<LoadGenerator.Accepted> accepted,
        Map<String, Integer> rejectedByReason, Map<String, Integer> errorsByKind, Percentiles uploadLatency) {

    /** The report as a few lines of text. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("load: started %s, ran %.1f s%n".formatted(started, took.toMillis() / 1000.0));
        out.append("  sent           %d%n".formatted(sent));
        out.append("  accepted       %d (hostile among them: %d)%n".formatted(accepted.size(),
                accepted.stream().filter(LoadGenerator.Accepted::hostile).count()));
        out.append("  rejected       %d %s%n".formatted(rejectedByReason.values().stream().mapToInt(i -> i).sum(),
                rejectedByReason));
        out.append("  errors         %d %s%n".formatted(errorsByKind.values().stream().mapToInt(i -> i).sum(),
                errorsByKind));
        out.append("  upload latency %s%n".formatted(uploadLatency));
        return out.toString();
    }
}

package dev.tu.testsupport.load;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outcome of a {@link Reconciler} run.
 *
 * @param accepted       uploads accepted
 * @param completed      of them, analysis COMPLETED
 * @param failed         of them, analysis FAILED
 * @param failureReasons failed ones by failure code
 * @param lost           accepted uploads without a terminal state by the deadline (must be none)
 * @param duplicated     uploads with more than one row or more than one terminal transition (must be none)
 * @param unnotified     terminal in the table but no terminal notification seen
 * @param disagreeing    whose last terminal notification says another status than the table
 * @param revised        FAILED (timed out), then COMPLETED by a late result (allowed; not a duplicate)
 * @param notificationLatency upload accepted to the first terminal notification
 * @param deadLetters    dead letters captured during the run, by source and event type
 * @param faults         faults injected, by kind
 */
public record Reconciliation(int accepted, int completed, int failed, Map<String, Integer> failureReasons,
        List<UUID> lost, List<UUID> duplicated, List<UUID> unnotified, List<UUID> disagreeing, List<UUID> revised,
        Percentiles notificationLatency, Map<String, Integer> deadLetters, Map<String, Integer> faults) {

    /** The table the issue asks for, and the ids behind any count that should be zero (ten at most). */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("reconciliation%n".formatted());
        row(out, "uploads accepted", accepted);
        row(out, "completed", completed);
        out.append("  %-28s %d %s%n".formatted("failed (by reason)", failed, failureReasons));
        row(out, "lost (must be 0)", lost.size());
        row(out, "duplicates (must be 0)", duplicated.size());
        row(out, "terminal, not notified", unnotified.size());
        row(out, "notification != state", disagreeing.size());
        row(out, "failed, then completed late", revised.size());
        out.append("  %-28s %s%n".formatted("upload->notification", notificationLatency));
        out.append("  %-28s %d %s%n".formatted("dead letters", deadLetters.values().stream().mapToInt(i -> i).sum(),
                deadLetters));
        out.append("  %-28s %d %s%n".formatted("faults injected", faults.values().stream().mapToInt(i -> i).sum(),
                faults));
        ids(out, "lost", lost);
        ids(out, "duplicated", duplicated);
        ids(out, "not notified", unnotified);
        ids(out, "disagreeing", disagreeing);
        return out.toString();
    }

    private static void row(StringBuilder out, String name, int value) {
        out.append("  %-28s %d%n".formatted(name, value));
    }

    private static void ids(StringBuilder out, String what, List<UUID> ids) {
        if (!ids.isEmpty()) {
            out.append("  first %s: %s%n".formatted(what, ids.subList(0, Math.min(10, ids.size()))));
        }
    }
}

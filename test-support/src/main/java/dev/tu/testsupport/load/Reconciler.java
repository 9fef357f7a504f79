package dev.tu.testsupport.load;

import dev.tu.testsupport.load.LoadGenerator.Accepted;
import dev.tu.testsupport.load.NotificationCapture.Notification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles every accepted upload with the orchestrator's workflow table ({@code analysis}, one row per
 * image) and the notifications it sent: each must reach a terminal state (COMPLETED, or FAILED with a
 * reason) exactly once. Lost: no terminal row by the deadline. Duplicated: more than one row, or the
 * same terminal status announced by more than one distinct transition (each transition has its own
 * notification id; a redelivered copy of one has the same id and is not a duplicate). Revised: FAILED
 * (timed out) and later COMPLETED by a late result, which the workflow allows on purpose: counted apart.
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** The orchestrator's database. */
    public record Database(String url, String user, String password) {
    }

    /** One image's row in {@code analysis}. */
    public record Row(UUID imageId, String status, int attempts, String failureCode, String failureDetail,
            Instant updatedAt) {

        boolean terminal() {
            return "COMPLETED".equals(status) || "FAILED".equals(status);
        }
    }

    /** How long notifications may trail the table once every row is terminal. */
    private static final Duration NOTIFICATION_GRACE = Duration.ofSeconds(30);

    private Reconciler() {
    }

    /**
     * Waits (polling the table every two seconds) until every accepted upload has a terminal row and a
     * terminal notification, or until {@code deadline} passed, then reconciles.
     *
     * @param since dead letters captured from this instant on are counted
     * @param faults the faults injected during the run, by kind
     */
    public static Reconciliation awaitAndReconcile(List<Accepted> accepted, Database database,
            Supplier<List<Notification>> notifications, Duration deadline, Instant since, Map<String, Integer> faults) {
        Set<UUID> ids = accepted.stream().map(Accepted::imageId).collect(Collectors.toSet());
        long end = System.nanoTime() + deadline.toNanos();
        long allTerminalSince = 0;
        Map<UUID, List<Row>> rows = Map.of();
        while (true) {
            try {
                rows = rows(database, ids);
            } catch (SQLException e) {
                log.info("Workflow table not readable yet: {}", e.toString());
            }
            Map<UUID, List<Row>> current = rows;
            Set<UUID> notified = notifications.get().stream().filter(Notification::terminal)
                    .map(Notification::imageId).collect(Collectors.toSet());
            long open = ids.stream().filter(id -> !current.containsKey(id) || !current.get(id).getFirst().terminal())
                    .count();
            long unnotified = ids.stream().filter(id -> !notified.contains(id)).count();
            long now = System.nanoTime();
            if (open == 0 && allTerminalSince == 0) {
                allTerminalSince = now;
            }
            // Every row terminal: the notifications still on their way get a grace period, no more.
            boolean settled = open == 0 && (unnotified == 0 || now - allTerminalSince > NOTIFICATION_GRACE.toNanos());
            if (settled || now > end) {
                log.info("Reconciling: {} of {} uploads not terminal, {} without a terminal notification", open,
                        ids.size(), unnotified);
                break;
            }
            try {
                Thread.sleep(2000); // a reader's poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Map<String, Integer> deadLetters;
        try {
            deadLetters = deadLetters(database, since);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the dead letters", e);
        }
        return reconcile(accepted, rows, notifications.get(), deadLetters, faults);
    }

    /** The reconciliation of what was read; pure, for unit tests. */
    static Reconciliation reconcile(List<Accepted> accepted, Map<UUID, List<Row>> rows,
            List<Notification> notifications, Map<String, Integer> deadLetters, Map<String, Integer> faults) {
        Map<UUID, List<Notification>> terminalNotifications = new HashMap<>();
        for (Notification notification : notifications) {
            if (notification.terminal() && notification.imageId() != null) {
                terminalNotifications.computeIfAbsent(notification.imageId(), id -> new ArrayList<>())
                        .add(notification);
            }
        }
        int completed = 0;
        int failed = 0;
        Map<String, Integer> failureReasons = new TreeMap<>();
        List<UUID> lost = new ArrayList<>();
        List<UUID> duplicated = new ArrayList<>();
        List<UUID> unnotified = new ArrayList<>();
        List<UUID> disagreeing = new ArrayList<>();
        List<UUID> revised = new ArrayList<>();
        List<Duration> latencies = new ArrayList<>();
        for (Accepted upload : accepted) {
            List<Row> imageRows = rows.getOrDefault(upload.imageId(), List.of());
            List<Notification> ends = terminalNotifications.getOrDefault(upload.imageId(), List.of());
            Map<String, Long> endsByStatus = ends.stream().collect(Collectors.groupingBy(Notification::status,
                    Collectors.mapping(Notification::id, Collectors.collectingAndThen(Collectors.toSet(),
                            ids -> (long) ids.size()))));
            if (imageRows.size() > 1 || endsByStatus.values().stream().anyMatch(n -> n > 1)) {
                duplicated.add(upload.imageId());
            }
            if (endsByStatus.size() > 1) {
                // FAILED (timed out), then COMPLETED by a late result: the designed revision, not a duplicate.
                revised.add(upload.imageId());
            }
            if (imageRows.isEmpty() || !imageRows.getFirst().terminal()) {
                lost.add(upload.imageId());
                continue;
            }
            Row row = imageRows.getFirst();
            if ("COMPLETED".equals(row.status())) {
                completed++;
            } else {
                failed++;
                failureReasons.merge(row.failureCode() == null ? "(no reason)" : row.failureCode(), 1, Integer::sum);
            }
            if (ends.isEmpty()) {
                unnotified.add(upload.imageId());
            } else {
                if (!ends.getLast().status().equals(row.status())) {
                    disagreeing.add(upload.imageId());
                }
                latencies.add(Duration.between(upload.acceptedAt(), ends.getFirst().receivedAt()));
            }
        }
        return new Reconciliation(accepted.size(), completed, failed, failureReasons, lost, duplicated, unnotified,
                disagreeing, revised, Percentiles.of(latencies), deadLetters, faults);
    }

    private static Map<UUID, List<Row>> rows(Database database, Set<UUID> ids) throws SQLException {
        Map<UUID, List<Row>> rows = new HashMap<>();
        try (Connection db = DriverManager.getConnection(database.url(), database.user(), database.password());
                PreparedStatement query = db.prepareStatement("select image_id, status, attempts, failure_code, "
                        + "failure_detail, updated_at from analysis where image_id = any (?)")) {
            query.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    Row row = new Row(result.getObject(1, UUID.class), result.getString(2), result.getInt(3),
                            result.getString(4), result.getString(5), result.getTimestamp(6).toInstant());
                    rows.computeIfAbsent(row.imageId(), id -> new ArrayList<>()).add(row);
                }
            }
        }
        return rows;
    }

    /** Dead letters captured since {@code since}, by source and event type. */
    private static Map<String, Integer> deadLetters(Database database, Instant since) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(database.url(), database.user(), database.password());
                PreparedStatement query = db.prepareStatement("select source, coalesce(event_type, '?'), count(*) "
                        + "from dead_letter where dead_lettered_at >= ? group by 1, 2")) {
            query.setTimestamp(1, Timestamp.from(since));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    counts.put(result.getString(1) + " " + result.getString(2), result.getInt(3));
                }
            }
        }
        return counts;
    }
}

package dev.tu.orchestrator.workflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Workflow rows and applied event ids. Reads always take the tenant. */
@Repository
class AnalysisRepository {

    private static final String COLUMNS = "image_id, tenant, status, attempts, received_at, updated_at, deadline_at, "
            + "result::text as result, failure_code, failure_detail";

    private final JdbcClient jdbc;

    AnalysisRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code eventId} as applied; false if it already was (then the event changes nothing). */
    boolean markApplied(String eventId, UUID imageId, String type, Instant now) {
        return jdbc.sql("insert into applied_event (event_id, image_id, event_type, applied_at) "
                        + "values (:id, :image, :type, :now) on conflict (event_id) do nothing")
                .param("id", eventId).param("image", imageId).param("type", type).param("now", Timestamp.from(now))
                .update() == 1;
    }

    /** The row, locked for this transaction. */
    Optional<Analysis> lock(UUID imageId) {
        return jdbc.sql("select " + COLUMNS + " from analysis where image_id = :id for update")
                .param("id", imageId).query(AnalysisRepository::map).optional();
    }

    /** Creates the row if it is not there; returns whether it did. */
    boolean insertIfAbsent(UUID imageId, String tenant, String objectKey, Instant now) {
        return jdbc.sql("insert into analysis (image_id, tenant, object_key, status, attempts, received_at, updated_at) "
                        + "values (:id, :tenant, :key, 'RECEIVED', 0, :now, :now) on conflict (image_id) do nothing")
                .param("id", imageId).param("tenant", tenant).param("key", objectKey).param("now", Timestamp.from(now))
                .update() == 1;
    }

    void startAttempt(UUID imageId, int attempt, Instant deadline, Instant now) {
        jdbc.sql("update analysis set status = 'ANALYZING', attempts = :attempt, deadline_at = :deadline, "
                        + "updated_at = :now, failure_code = null, failure_detail = null where image_id = :id")
                .param("id", imageId).param("attempt", attempt).param("deadline", Timestamp.from(deadline))
                .param("now", Timestamp.from(now)).update();
    }

    void complete(UUID imageId, String resultJson, Instant now) {
        jdbc.sql("update analysis set status = 'COMPLETED', result = cast(:result as jsonb), deadline_at = null, "
                        + "updated_at = :now, failure_code = null, failure_detail = null where image_id = :id")
                .param("id", imageId).param("result", resultJson).param("now", Timestamp.from(now)).update();
    }

    void fail(UUID imageId, String code, String detail, Instant now) {
        jdbc.sql("update analysis set status = 'FAILED', failure_code = :code, failure_detail = :detail, "
                        + "deadline_at = null, updated_at = :now where image_id = :id")
                .param("id", imageId).param("code", code).param("detail", detail).param("now", Timestamp.from(now))
                .update();
    }

    /** Overdue attempts, claimed: rows another replica holds are skipped, not waited for. */
    List<Analysis> claimOverdue(Instant now, int limit) {
        return jdbc.sql("select " + COLUMNS + " from analysis where status = 'ANALYZING' and deadline_at < :now "
                        + "order by deadline_at limit :limit for update skip locked")
                .param("now", Timestamp.from(now)).param("limit", limit)
                .query(AnalysisRepository::map).list();
    }

    String objectKey(UUID imageId) {
        return jdbc.sql("select object_key from analysis where image_id = :id").param("id", imageId)
                .query(String.class).optional().orElse(null);
    }

    /** The row whatever its tenant: only for what the service itself sends, never for a caller. */
    Optional<Analysis> findAny(UUID imageId) {
        return jdbc.sql("select " + COLUMNS + " from analysis where image_id = :id")
                .param("id", imageId).query(AnalysisRepository::map).optional();
    }

    Optional<Analysis> find(String tenant, UUID imageId) {
        return jdbc.sql("select " + COLUMNS + " from analysis where tenant = :tenant and image_id = :id")
                .param("tenant", tenant).param("id", imageId).query(AnalysisRepository::map).optional();
    }

    List<Analysis> findAll(String tenant, Collection<UUID> imageIds) {
        if (imageIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from analysis where tenant = :tenant and image_id in (:ids)")
                .param("tenant", tenant).param("ids", imageIds).query(AnalysisRepository::map).list();
    }

    /** Newest change first, after the cursor position, optionally one status. */
    List<Analysis> page(String tenant, AnalysisStatus status, Instant afterTime, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from analysis where tenant = :tenant");
        if (status != null) {
            sql.append(" and status = :status");
        }
        if (afterTime != null) {
            sql.append(" and (updated_at, image_id) < (:afterTime, :afterId)");
        }
        sql.append(" order by updated_at desc, image_id desc limit :limit");
        var statement = jdbc.sql(sql.toString()).param("tenant", tenant).param("limit", limit);
        if (status != null) {
            statement = statement.param("status", status.name());
        }
        if (afterTime != null) {
            statement = statement.param("afterTime", Timestamp.from(afterTime)).param("afterId", afterId);
        }
        return statement.query(AnalysisRepository::map).list();
    }

    private static Analysis map(ResultSet row, int number) throws SQLException {
        return new Analysis(
                row.getObject("image_id", UUID.class),
                row.getString("tenant"),
                AnalysisStatus.valueOf(row.getString("status")),
                row.getInt("attempts"),
                instant(row.getTimestamp("received_at")),
                instant(row.getTimestamp("updated_at")),
                instant(row.getTimestamp("deadline_at")),
                row.getString("result"),
                row.getString("failure_code"),
                row.getString("failure_detail"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

package dev.tu.orchestrator.deadletters;

import dev.tu.contracts.CloudEventHeaders;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class DeadLetterStore {

    private static final String COLUMNS = "id, source, origin, message_key, event_id, event_type, tenant, trace_id, "
            + "cause, dead_lettered_at, replayed_at, replays";

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    DeadLetterStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores it unless this (source, position) is already there; true when it was new. */
    boolean capture(Captured captured) {
        return jdbc.sql("insert into dead_letter (id, source, position, origin, message_key, event_id, event_type, "
                        + "tenant, trace_id, cause, headers, payload, dead_lettered_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?) "
                        + "on conflict (source, position) do nothing")
                .params(UUID.randomUUID(), captured.source(), captured.position(), captured.origin(), captured.key(),
                        captured.header(CloudEventHeaders.kafka("id")) != null
                                ? captured.header(CloudEventHeaders.kafka("id"))
                                : captured.header(CloudEventHeaders.amqp("id")),
                        captured.header(CloudEventHeaders.kafka("type")) != null
                                ? captured.header(CloudEventHeaders.kafka("type"))
                                : captured.header(CloudEventHeaders.amqp("type")),
                        captured.header(CloudEventHeaders.kafka(CloudEventHeaders.TENANT)) != null
                                ? captured.header(CloudEventHeaders.kafka(CloudEventHeaders.TENANT))
                                : captured.header(CloudEventHeaders.amqp(CloudEventHeaders.TENANT)),
                        captured.traceId(), captured.cause(), json.writeValueAsString(captured.headers()),
                        captured.payload(), Timestamp.from(captured.at()))
                .update() == 1;
    }

    /** Newest first; only those not replayed yet when {@code pendingOnly}. */
    List<DeadLetter> list(boolean pendingOnly, int limit) {
        return jdbc.sql("select " + COLUMNS + " from dead_letter"
                        + (pendingOnly ? " where replayed_at is null" : "")
                        + " order by dead_lettered_at desc, id limit ?")
                .param(limit).query(DeadLetterStore::deadLetter).list();
    }

    Optional<DeadLetter> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from dead_letter where id = ?").param(id)
                .query(DeadLetterStore::deadLetter).optional();
    }

    /** What a replay sends: its headers and bytes. */
    record Content(Map<String, String> headers, byte[] payload) {
    }

    Content content(UUID id) {
        return jdbc.sql("select headers, payload from dead_letter where id = ?").param(id)
                .query((rs, row) -> new Content(json.readValue(rs.getString("headers"),
                        new TypeReference<Map<String, String>>() { }), rs.getBytes("payload")))
                .single();
    }

    /**
     * Claims the entry for a replay: only one caller wins, and only while it has not been replayed (or when
     * {@code again}). The row stays locked until the caller's transaction ends.
     */
    boolean claim(UUID id, boolean again) {
        return jdbc.sql("select id from dead_letter where id = ?" + (again ? "" : " and replayed_at is null")
                        + " for update skip locked")
                .param(id).query(UUID.class).optional().isPresent();
    }

    void markReplayed(UUID id, Instant at) {
        jdbc.sql("update dead_letter set replayed_at = ?, replays = replays + 1 where id = ?")
                .params(Timestamp.from(at), id).update();
    }

    private static DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
        Timestamp replayed = rs.getTimestamp("replayed_at");
        return new DeadLetter(rs.getObject("id", UUID.class), rs.getString("source"), rs.getString("origin"),
                rs.getString("message_key"), rs.getString("event_id"), rs.getString("event_type"),
                rs.getString("tenant"), rs.getString("trace_id"), rs.getString("cause"),
                rs.getTimestamp("dead_lettered_at").toInstant(), replayed == null ? null : replayed.toInstant(),
                rs.getInt("replays"));
    }
}

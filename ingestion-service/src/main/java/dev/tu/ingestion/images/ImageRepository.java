package dev.tu.ingestion.images;

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

/** Image rows. Every read takes the tenant: there is no way to read across tenants. */
@Repository
class ImageRepository {

    private static final String COLUMNS = "id, tenant, uploader, asset_id, original_name, content_type, size_bytes, "
            + "sha256, width, height, orientation, captured_at, gps_latitude, gps_longitude, object_key, "
            + "idempotency_key, uploaded_at";

    private final JdbcClient jdbc;

    ImageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Image image) {
        jdbc.sql("insert into image (" + COLUMNS + ") values (:id, :tenant, :uploader, :assetId, :originalName, "
                        + ":contentType, :sizeBytes, :sha256, :width, :height, :orientation, :capturedAt, "
                        + ":gpsLatitude, :gpsLongitude, :objectKey, :idempotencyKey, :uploadedAt)")
                .param("id", image.id())
                .param("tenant", image.tenant())
                .param("uploader", image.uploader())
                .param("assetId", image.assetId())
                .param("originalName", image.originalName())
                .param("contentType", image.contentType())
                .param("sizeBytes", image.sizeBytes())
                .param("sha256", image.sha256())
                .param("width", image.width())
                .param("height", image.height())
                .param("orientation", image.orientation())
                .param("capturedAt", timestamp(image.capturedAt()))
                .param("gpsLatitude", image.gpsLatitude())
                .param("gpsLongitude", image.gpsLongitude())
                .param("objectKey", image.objectKey())
                .param("idempotencyKey", image.idempotencyKey())
                .param("uploadedAt", timestamp(image.uploadedAt()))
                .update();
    }

    Optional<Image> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from image where tenant = :tenant and id = :id")
                .param("tenant", tenant).param("id", id)
                .query(ImageRepository::map).optional();
    }

    Optional<Image> findByIdempotencyKey(String tenant, String idempotencyKey) {
        return jdbc.sql("select " + COLUMNS + " from image where tenant = :tenant and idempotency_key = :key")
                .param("tenant", tenant).param("key", idempotencyKey)
                .query(ImageRepository::map).optional();
    }

    List<Image> findAll(String tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from image where tenant = :tenant and id in (:ids)")
                .param("tenant", tenant).param("ids", ids)
                .query(ImageRepository::map).list();
    }

    /** Newest first, strictly after {@code after} in that order, at most {@code limit} rows. */
    List<Image> page(String tenant, String assetId, PageCursor after, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from image where tenant = :tenant");
        if (assetId != null) {
            sql.append(" and asset_id = :assetId");
        }
        if (after != null) {
            sql.append(" and (uploaded_at, id) < (:afterTime, :afterId)");
        }
        sql.append(" order by uploaded_at desc, id desc limit :limit");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString())
                .param("tenant", tenant).param("limit", limit);
        if (assetId != null) {
            statement = statement.param("assetId", assetId);
        }
        if (after != null) {
            statement = statement.param("afterTime", timestamp(after.uploadedAt())).param("afterId", after.id());
        }
        return statement.query(ImageRepository::map).list();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Image map(ResultSet row, int number) throws SQLException {
        Timestamp captured = row.getTimestamp("captured_at");
        return new Image(
                row.getObject("id", UUID.class),
                row.getString("tenant"),
                row.getString("uploader"),
                row.getString("asset_id"),
                row.getString("original_name"),
                row.getString("content_type"),
                row.getLong("size_bytes"),
                row.getString("sha256"),
                row.getInt("width"),
                row.getInt("height"),
                row.getInt("orientation"),
                captured == null ? null : captured.toInstant(),
                row.getObject("gps_latitude", Double.class),
                row.getObject("gps_longitude", Double.class),
                row.getString("object_key"),
                row.getString("idempotency_key"),
                row.getTimestamp("uploaded_at").toInstant());
    }
}

package dev.tu.ingestion.images;

import java.time.Instant;
import java.util.UUID;

/** An image's metadata as stored; never leaves the service as is (see {@link ImageView}). */
record Image(
        UUID id,
        String tenant,
        String uploader,
        String assetId,
        String originalName,
        String contentType,
        long sizeBytes,
        String sha256,
        int width,
        int height,
        int orientation,
        Instant capturedAt,
        Double gpsLatitude,
        Double gpsLongitude,
        String objectKey,
        String idempotencyKey,
        Instant uploadedAt) {
}

package dev.tu.ingestion.images;

import java.time.Instant;
import java.util.UUID;

/**
 * An image as clients see it: no storage keys, no idempotency keys.
 *
 * @param id           the image id
 * @param assetId      the machine the photo shows, when the uploader said
 * @param originalName the uploader's file name
 * @param contentType  the verified media type
 * @param sizeBytes    size of the original
 * @param sha256       hex SHA-256 of the original
 * @param width        width in pixels
 * @param height       height in pixels
 * @param orientation  EXIF orientation, 1 = upright
 * @param capturedAt   EXIF capture time, when present
 * @param location     EXIF GPS position, when present
 * @param uploadedBy   who uploaded it (preferred username)
 * @param uploadedAt   when it was accepted
 */
public record ImageView(
        UUID id,
        String assetId,
        String originalName,
        String contentType,
        long sizeBytes,
        String sha256,
        int width,
        int height,
        int orientation,
        Instant capturedAt,
        Location location,
        String uploadedBy,
        Instant uploadedAt) {

    /** A GPS position in decimal degrees. */
    public record Location(double latitude, double longitude) {
    }

    static ImageView of(Image image) {
        Location location = image.gpsLatitude() == null ? null
                : new Location(image.gpsLatitude(), image.gpsLongitude());
        return new ImageView(image.id(), image.assetId(), image.originalName(), image.contentType(),
                image.sizeBytes(), image.sha256(), image.width(), image.height(), image.orientation(),
                image.capturedAt(), location, image.uploader(), image.uploadedAt());
    }
}

package dev.tu.ingestion.inspection;

import java.time.Instant;

/**
 * What an accepted upload is.
 *
 * @param format       the format the bytes really are
 * @param originalName the client's file name, checked to be safe to keep
 * @param sizeBytes    size of the bytes
 * @param sha256       hex SHA-256 of the bytes
 * @param width        width in pixels, from the header
 * @param height       height in pixels, from the header
 * @param orientation  EXIF orientation (1 = upright), 1 when absent
 * @param capturedAt   EXIF DateTimeOriginal, when present
 * @param gps          EXIF GPS position, when present
 */
public record Inspection(
        ImageFormat format,
        String originalName,
        long sizeBytes,
        String sha256,
        int width,
        int height,
        int orientation,
        Instant capturedAt,
        GpsPosition gps) {

    /**
     * A position in decimal degrees (WGS 84).
     *
     * @param latitude  -90..90
     * @param longitude -180..180
     */
    public record GpsPosition(double latitude, double longitude) {
    }
}

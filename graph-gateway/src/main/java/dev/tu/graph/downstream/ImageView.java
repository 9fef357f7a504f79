package dev.tu.graph.downstream;

/**
 * An image as ingestion-service answers it.
 *
 * @param id           image id
 * @param assetId      asset id, may be null
 * @param originalName the uploader's file name
 * @param contentType  verified media type
 * @param sizeBytes    size of the original
 * @param sha256       hex digest
 * @param width        pixels
 * @param height       pixels
 * @param orientation  EXIF orientation
 * @param capturedAt   EXIF capture time, may be null
 * @param location     EXIF GPS, may be null
 * @param uploadedBy   uploader
 * @param uploadedAt   acceptance time
 */
public record ImageView(String id, String assetId, String originalName, String contentType, long sizeBytes,
        String sha256, int width, int height, int orientation, String capturedAt, Location location,
        String uploadedBy, String uploadedAt) {

    /** A GPS position. */
    public record Location(double latitude, double longitude) {
    }
}

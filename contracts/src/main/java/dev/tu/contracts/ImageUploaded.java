package dev.tu.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * An image's bytes are in the object store and its metadata is committed.
 *
 * @param imageId     the image, also the Kafka record key
 * @param tenant      the tenant that owns the image
 * @param assetId     the machine the photo shows, when the uploader said
 * @param objectKey   where the original bytes are in the object store
 * @param contentType the verified content type (from magic bytes, not the client's word)
 * @param sizeBytes   size of the original
 * @param sha256      hex digest of the original
 * @param uploadedAt  when the metadata was committed
 */
public record ImageUploaded(
        UUID imageId,
        String tenant,
        String assetId,
        String objectKey,
        String contentType,
        long sizeBytes,
        String sha256,
        Instant uploadedAt) {
}

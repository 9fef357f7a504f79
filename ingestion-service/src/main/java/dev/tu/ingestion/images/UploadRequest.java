package dev.tu.ingestion.images;

/**
 * One upload as received.
 *
 * @param bytes          the file
 * @param declaredType   the part's Content-Type as the client sent it, may be null
 * @param fileName       the client's file name, may be null
 * @param assetId        the machine the photo shows, may be null
 * @param idempotencyKey the client's Idempotency-Key header, may be null
 */
record UploadRequest(byte[] bytes, String declaredType, String fileName, String assetId, String idempotencyKey) {
}

package dev.tu.contracts;

import java.util.UUID;

/**
 * Command: analyse an image (again).
 *
 * @param imageId   the image to analyse, also the record key
 * @param tenant    the tenant that owns the image
 * @param objectKey where the original bytes are
 * @param attempt   1 for the first request, counting up with each retry
 * @param reason    why it was asked for: {@code user}, {@code timeout}, {@code retry}
 */
public record AnalysisRequested(UUID imageId, String tenant, String objectKey, int attempt, String reason) {
}

package dev.tu.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The analysis of one image finished.
 *
 * @param imageId       the analysed image, also the record key
 * @param tenant        the tenant that owns the image
 * @param attempt       the attempt that produced this result
 * @param derivativeKey the display derivative (re-encoded, stripped, faces blurred) in the object store
 * @param results       one entry per analyzer that ran
 * @param analyzedAt    when the last analyzer finished
 */
public record ImageAnalyzed(
        UUID imageId,
        String tenant,
        int attempt,
        String derivativeKey,
        List<AnalyzerResult> results,
        Instant analyzedAt) {

    /**
     * What one analyzer found, and with which model.
     *
     * @param analyzer     the analyzer's name, e.g. {@code objects}, {@code text}, {@code quality}
     * @param model        the model's name and version, or {@code none} for rule-based analyzers
     * @param modelSha256  checksum of the model file that produced the result
     * @param durationMs   time the analyzer took
     * @param findings     what it found; the shape is the analyzer's own and documented in AsyncAPI
     */
    public record AnalyzerResult(
            String analyzer, String model, String modelSha256, long durationMs, List<Finding> findings) {
    }

    /**
     * One thing an analyzer found.
     *
     * @param label      what it is: a COCO class, recognised text, a quality verdict, an EXIF fact
     * @param confidence 0..1, or 1 for facts
     * @param box        where in the image, in pixels of the oriented original; null when not spatial
     */
    public record Finding(String label, double confidence, Box box) {
    }

    /** An axis-aligned box in pixels. */
    public record Box(int x, int y, int width, int height) {
    }
}

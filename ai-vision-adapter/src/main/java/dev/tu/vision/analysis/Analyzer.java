package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.Finding;
import java.util.List;

/** One kind of analysis. Implementations are stateless and thread-safe. */
public interface Analyzer {

    /** The analyzer's name in results, e.g. {@code quality}, {@code objects}. */
    String name();

    /** The model it runs: name and version, or {@code none} for rule-based analyzers. */
    default String model() {
        return "none";
    }

    /** SHA-256 of the model file, or null for rule-based analyzers. */
    default String modelSha256() {
        return null;
    }

    /** What it finds in the image. */
    List<Finding> analyze(DecodedImage image);
}

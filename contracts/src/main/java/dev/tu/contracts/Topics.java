package dev.tu.contracts;

import java.util.List;

/** Kafka topics. Event topics are past tense, command topics imperative; each has a dead-letter twin. */
public final class Topics {

    /** An image was stored and its metadata committed; key = image id. */
    public static final String IMAGE_UPLOADED = "tu.image.uploaded";
    /** An analysis finished with results; key = image id. */
    public static final String IMAGE_ANALYZED = "tu.image.analyzed";
    /** An analysis attempt failed for good; key = image id. */
    public static final String IMAGE_ANALYSIS_FAILED = "tu.image.analysis-failed";
    /** Command: analyse this image (again); key = image id. */
    public static final String ANALYSIS_REQUESTED = "tu.analysis.requested";

    /** Header of a dead-lettered record: why it was given up on, e.g. {@code UNREADABLE_IMAGE: …}. */
    public static final String DEAD_LETTER_REASON = "tu_dead_letter_reason";

    /** Every topic the suite exchanges events on. */
    public static final List<String> ALL =
            List.of(IMAGE_UPLOADED, IMAGE_ANALYZED, IMAGE_ANALYSIS_FAILED, ANALYSIS_REQUESTED);

    private Topics() {
    }

    /** The dead-letter topic for messages from {@code topic} that could not be processed. */
    public static String deadLetter(String topic) {
        return topic + ".dlt";
    }
}

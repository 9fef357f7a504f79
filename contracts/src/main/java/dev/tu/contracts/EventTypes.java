package dev.tu.contracts;

/** CloudEvents {@code type} values. On Kafka they equal the topic; on RabbitMQ they are the routing key. */
public final class EventTypes {

    /** See {@link ImageUploaded}. */
    public static final String IMAGE_UPLOADED = Topics.IMAGE_UPLOADED;
    /** See {@link ImageAnalyzed}. */
    public static final String IMAGE_ANALYZED = Topics.IMAGE_ANALYZED;
    /** See {@link ImageAnalysisFailed}. */
    public static final String IMAGE_ANALYSIS_FAILED = Topics.IMAGE_ANALYSIS_FAILED;
    /** See {@link AnalysisRequested}. */
    public static final String ANALYSIS_REQUESTED = Topics.ANALYSIS_REQUESTED;

    private EventTypes() {
    }
}

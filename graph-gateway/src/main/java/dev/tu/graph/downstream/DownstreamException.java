package dev.tu.graph.downstream;

/** A downstream call failed; becomes a GraphQL error with {@code extensions.code}, not a 500. */
public class DownstreamException extends RuntimeException {

    private final String code;

    public DownstreamException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable code, e.g. {@code INGESTION_UNAVAILABLE}. */
    public String code() {
        return code;
    }
}

package dev.tu.service.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The business keys every log line of one piece of work carries, next to the trace and span ids: which
 * tenant, which image, which event. With JSON logs, {@code kubectl logs | jq 'select(.imageId == …)'}
 * then finds every line of one image across services.
 *
 * <pre>{@code
 * try (var context = LogContext.with(tenant, imageId, eventId)) {
 *     ...
 * }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {

    /** MDC key of the tenant. */
    public static final String TENANT = "tenant";
    /** MDC key of the image id. */
    public static final String IMAGE_ID = "imageId";
    /** MDC key of the CloudEvents id of the event being handled. */
    public static final String EVENT_ID = "eventId";

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext(Map<String, Object> values) {
        values.forEach((key, value) -> {
            if (value != null) {
                previous.put(key, MDC.get(key));
                MDC.put(key, value.toString());
            }
        });
    }

    /** Puts the non-null values in the MDC until {@link #close()}, which restores what was there before. */
    public static LogContext with(String tenant, Object imageId, String eventId) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(TENANT, tenant);
        values.put(IMAGE_ID, imageId);
        values.put(EVENT_ID, eventId);
        return new LogContext(values);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}

package dev.tu.service.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Optional;

/** The current span as a W3C {@code traceparent}, to store with an event that is sent later. */
public final class TraceContext {

    private final Tracer tracer;

    public TraceContext(Tracer tracer) {
        this.tracer = tracer;
    }

    /** {@code 00-<trace id>-<span id>-<flags>} of the current span, if there is one. */
    public Optional<String> traceparent() {
        Span span = tracer.currentSpan();
        if (span == null || span.isNoop() || span.context().traceId().isBlank()) {
            return Optional.empty();
        }
        var context = span.context();
        String flags = Boolean.TRUE.equals(context.sampled()) ? "01" : "00";
        return Optional.of("00-" + context.traceId() + "-" + context.spanId() + "-" + flags);
    }
}

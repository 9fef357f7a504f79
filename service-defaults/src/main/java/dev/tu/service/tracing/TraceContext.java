package dev.tu.service.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * W3C {@code traceparent} values for what leaves a service outside an instrumented call: an event stored
 * now and sent later (the outbox) must carry the trace of the request that caused it.
 */
public final class TraceContext {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private final Supplier<Tracer> tracer;

    /** @param tracer resolved at each use: beans created early (the outbox's configuration) may hold this */
    public TraceContext(Supplier<Tracer> tracer) {
        this.tracer = tracer;
    }

    /** {@code 00-<trace id>-<span id>-<flags>} of the current span, if there is one. */
    public Optional<String> traceparent() {
        Span span = tracer.get().currentSpan();
        if (span == null || span.isNoop() || span.context().traceId().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(format(span.context()));
    }

    /**
     * Records a finished producer span named {@code name} as a child of {@code parent} and returns the
     * span's own {@code traceparent}, for the message that is sent now. A missing or malformed parent
     * starts a new trace; with tracing off, the parent is returned as it is.
     */
    public String producerSpan(String parent, String name) {
        Tracer tracer = this.tracer.get();
        Span.Builder builder = tracer.spanBuilder().name(name).kind(Span.Kind.PRODUCER);
        var matcher = parent == null ? null : TRACEPARENT.matcher(parent);
        if (matcher != null && matcher.matches()) {
            builder.setParent(tracer.traceContextBuilder().traceId(matcher.group(1)).spanId(matcher.group(2))
                    .sampled("01".equals(matcher.group(3))).build());
        }
        Span span = builder.start();
        try {
            return span.isNoop() || span.context().traceId().isBlank() ? parent : format(span.context());
        } finally {
            span.end();
        }
    }

    /**
     * Records a finished span named {@code name} under {@code parent}, when that is a well-formed
     * {@code traceparent}; for work that passes a message on with its headers unchanged (the bridge), so the
     * trace shows the hop without the message's context being rewritten.
     */
    public void childSpan(String parent, String name) {
        var matcher = parent == null ? null : TRACEPARENT.matcher(parent);
        if (matcher != null && matcher.matches()) {
            producerSpan(parent, name);
        }
    }

    private static String format(io.micrometer.tracing.TraceContext context) {
        String flags = Boolean.TRUE.equals(context.sampled()) ? "01" : "00";
        return "00-" + context.traceId() + "-" + context.spanId() + "-" + flags;
    }
}

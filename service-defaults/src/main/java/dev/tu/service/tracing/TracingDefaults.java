package dev.tu.service.tracing;

import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;

@AutoConfiguration(after = MicrometerTracingAutoConfiguration.class)
class TracingDefaults {

    @Bean
    TraceContext traceContext(ObjectProvider<Tracer> tracer) {
        return new TraceContext(() -> tracer.getIfAvailable(() -> Tracer.NOOP));
    }
}

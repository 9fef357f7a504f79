package dev.tu.vision.kafka;

import dev.tu.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdapterProperties.class)
class KafkaConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The topics this service produces to: its results and the dead letters of what it consumes. */
    @Bean
    KafkaAdmin.NewTopics adapterTopics(AdapterProperties properties) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(Topics.IMAGE_ANALYZED).partitions(properties.partitions())
                        .replicas(properties.replicationFactor()).build(),
                TopicBuilder.name(Topics.IMAGE_ANALYSIS_FAILED).partitions(properties.partitions())
                        .replicas(properties.replicationFactor()).build(),
                TopicBuilder.name(Topics.deadLetter(Topics.IMAGE_UPLOADED)).partitions(properties.partitions())
                        .replicas(properties.replicationFactor()).build(),
                TopicBuilder.name(Topics.deadLetter(Topics.ANALYSIS_REQUESTED)).partitions(properties.partitions())
                        .replicas(properties.replicationFactor()).build());
    }

    /**
     * Poison goes to {@code <topic>.dlt} at once, with Spring Kafka's exception headers naming the cause;
     * anything else is transient and retried with back-off for as long as it takes.
     */
    @Bean
    CommonErrorHandler analysisErrors(KafkaTemplate<Object, Object> template, AdapterProperties properties) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
        // The reason in plain words, not the listener wrapper's "Listener method … threw exception".
        deadLetters.setHeadersFunction((record, exception) -> {
            Throwable cause = exception instanceof ListenerExecutionFailedException && exception.getCause() != null
                    ? exception.getCause() : exception;
            return new RecordHeaders().add(Topics.DEAD_LETTER_REASON,
                    String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8));
        });
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(properties.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
        handler.addNotRetryableExceptions(PoisonMessageException.class);
        return handler;
    }
}

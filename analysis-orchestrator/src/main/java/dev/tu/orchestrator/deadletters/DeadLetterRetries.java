package dev.tu.orchestrator.deadletters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** How a dead letter that cannot be stored yet is retried. */
@Configuration(proxyBeanMethods = false)
class DeadLetterRetries {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRetries.class);

    /**
     * A record that cannot be stored (the database is down) is tried again for as long as it takes, backing
     * off up to 30 s: skipping it would lose the only copy of the failure an operator will look for.
     */
    @Bean
    CommonErrorHandler retryDeadLettersForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.setLogLevel(KafkaException.Level.WARN);
        // Retried forever, so never "exhausted": each failed try is what the logs show.
        handler.setRetryListeners((record, failure, attempt) -> log.warn("Dead letter {}-{}@{} not stored yet (try {}): {}",
                record.topic(), record.partition(), record.offset(), attempt, failure.toString()));
        return handler;
    }
}

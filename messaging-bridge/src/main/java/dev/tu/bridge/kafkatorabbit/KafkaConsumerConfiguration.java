package dev.tu.bridge.kafkatorabbit;

import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class KafkaConsumerConfiguration {

    /**
     * A refused batch is retried from the refused record for as long as it takes, backing off up to
     * 10 s between tries: the bridge never skips an event, it waits for RabbitMQ.
     */
    @Bean
    CommonErrorHandler retryForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.setLogLevel(KafkaException.Level.WARN);
        return handler;
    }

    /**
     * Offsets are committed asynchronously: the consumer does not wait a round trip per batch. A commit
     * that is lost is covered by the next one, or the records come again (duplicates, never loss); the
     * offsets committed are still only those of confirmed records.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> asyncCommits() {
        return container -> container.getContainerProperties().setSyncCommits(false);
    }

    /**
     * A returned (unroutable) message is reported through its correlation data and logged, with its
     * event id, by the bridge: the template's own "no callback" warning would only repeat it.
     */
    @Bean
    RabbitTemplateCustomizer returnsThroughCorrelationData() {
        return template -> template.setReturnsCallback(returned -> { });
    }
}

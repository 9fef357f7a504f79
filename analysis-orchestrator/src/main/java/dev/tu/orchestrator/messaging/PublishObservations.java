package dev.tu.orchestrator.messaging;

import io.micrometer.common.KeyValues;
import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageSenderContext;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation.DefaultRabbitTemplateObservationConvention;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Publish timers tagged by template and exchange only. A notification's routing key is
 * {@code tenant.imageId}; as a metric tag (Spring AMQP's default) it would add a time series per image,
 * so it stays on the span, where one value per message belongs.
 */
@Configuration(proxyBeanMethods = false)
class PublishObservations {

    private static final String ROUTING_KEY = "messaging.rabbitmq.destination.routing_key";

    @Bean
    RabbitTemplateCustomizer routingKeyOnSpansOnly() {
        return template -> template.setObservationConvention(new DefaultRabbitTemplateObservationConvention() {

            @Override
            public KeyValues getLowCardinalityKeyValues(RabbitMessageSenderContext context) {
                return KeyValues.of(super.getLowCardinalityKeyValues(context).stream()
                        .filter(keyValue -> !keyValue.getKey().equals(ROUTING_KEY)).toList());
            }

            @Override
            public KeyValues getHighCardinalityKeyValues(RabbitMessageSenderContext context) {
                return KeyValues.of(ROUTING_KEY, context.getRoutingKey());
            }
        });
    }
}

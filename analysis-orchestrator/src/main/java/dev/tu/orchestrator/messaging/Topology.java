package dev.tu.orchestrator.messaging;

import dev.tu.contracts.EventTypes;
import dev.tu.contracts.Exchanges;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the orchestrator relies on; exchange arguments equal the bridge's so either may declare first. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MessagingProperties.class)
class Topology {

    @Bean
    Declarables orchestratorTopology(MessagingProperties properties) {
        Map<String, Object> alternate = Map.of(Exchanges.ALTERNATE_EXCHANGE_ARGUMENT, Exchanges.UNROUTED);
        TopicExchange events = new TopicExchange(Exchanges.EVENTS, true, false, alternate);
        TopicExchange commands = new TopicExchange(Exchanges.COMMANDS, true, false, alternate);
        TopicExchange notifications = new TopicExchange(Exchanges.NOTIFICATIONS, true, false);
        FanoutExchange unrouted = new FanoutExchange(Exchanges.UNROUTED, true, false);
        Queue parked = QueueBuilder.durable(Exchanges.UNROUTED_QUEUE).quorum().build();
        DirectExchange deadLetters = new DirectExchange(Exchanges.DEAD_LETTERS, true, false);
        String dlq = Exchanges.deadLetterQueue(Exchanges.ORCHESTRATOR_EVENTS_QUEUE);
        Queue queue = QueueBuilder.durable(Exchanges.ORCHESTRATOR_EVENTS_QUEUE)
                .quorum()
                .deliveryLimit(properties.deliveryLimit())
                .deadLetterExchange(Exchanges.DEAD_LETTERS)
                .deadLetterRoutingKey(dlq)
                .overflow(QueueBuilder.Overflow.rejectPublish)
                .withArgument("x-dead-letter-strategy", "at-least-once")
                .build();
        Queue deadLettered = QueueBuilder.durable(dlq).quorum().build();
        return new Declarables(events, commands, notifications, unrouted, parked, deadLetters, queue, deadLettered,
                BindingBuilder.bind(parked).to(unrouted),
                BindingBuilder.bind(deadLettered).to(deadLetters).with(dlq),
                BindingBuilder.bind(queue).to(events).with(EventTypes.IMAGE_UPLOADED),
                BindingBuilder.bind(queue).to(events).with(EventTypes.IMAGE_ANALYZED),
                BindingBuilder.bind(queue).to(events).with(EventTypes.IMAGE_ANALYSIS_FAILED));
    }

    static List<String> consumedTypes() {
        return List.of(EventTypes.IMAGE_UPLOADED, EventTypes.IMAGE_ANALYZED, EventTypes.IMAGE_ANALYSIS_FAILED);
    }
}

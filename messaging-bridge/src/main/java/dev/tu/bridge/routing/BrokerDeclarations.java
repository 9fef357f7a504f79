package dev.tu.bridge.routing;

import dev.tu.contracts.Exchanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares what the bridge relies on: the routed topic exchanges (with an alternate exchange, so an
 * event no queue is bound for is parked, not dropped and not blocking, unless the routes to that
 * exchange hold unrouted messages instead), the dead-letter exchange, and
 * the commands quorum queue (at-least-once dead-lettering after a delivery limit) with its DLQ.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BridgeProperties.class)
class BrokerDeclarations {

    @Bean
    RouteTable routeTable(BridgeProperties properties) {
        return new RouteTable(properties.routes());
    }

    /** Each producer declares its topics: the bridge produces to the RabbitMQ → Kafka routes' topics. */
    @Bean
    KafkaAdmin.NewTopics bridgedTopics(RouteTable routes, BridgeProperties properties) {
        return new KafkaAdmin.NewTopics(routes.toKafkaByRoutingKey().values().stream()
                .map(route -> TopicBuilder.name(route.topic()).partitions(properties.partitions())
                        .replicas(properties.replicationFactor()).build())
                .toArray(NewTopic[]::new));
    }

    @Bean
    Declarables bridgeTopology(BridgeProperties properties, RouteTable routes) {
        List<Declarable> declarables = new ArrayList<>();
        routes.exchanges().forEach(name -> declarables.add(new TopicExchange(name, true, false,
                routes.parksUnrouted(name) ? Map.of(Exchanges.ALTERNATE_EXCHANGE_ARGUMENT, Exchanges.UNROUTED)
                        : Map.of())));
        FanoutExchange unrouted = new FanoutExchange(Exchanges.UNROUTED, true, false);
        Queue parked = QueueBuilder.durable(Exchanges.UNROUTED_QUEUE).quorum().build();
        declarables.add(unrouted);
        declarables.add(parked);
        declarables.add(BindingBuilder.bind(parked).to(unrouted));
        DirectExchange deadLetters = new DirectExchange(Exchanges.DEAD_LETTERS, true, false);
        String dlq = Exchanges.deadLetterQueue(properties.commandsQueue());
        Queue commands = QueueBuilder.durable(properties.commandsQueue())
                .quorum()
                .deliveryLimit(properties.deliveryLimit())
                .deadLetterExchange(Exchanges.DEAD_LETTERS)
                .deadLetterRoutingKey(dlq)
                // At-least-once dead-lettering needs reject-publish overflow on a quorum queue.
                .overflow(QueueBuilder.Overflow.rejectPublish)
                .withArgument("x-dead-letter-strategy", "at-least-once")
                .build();
        Queue deadLettered = QueueBuilder.durable(dlq).quorum().build();
        declarables.add(deadLetters);
        declarables.add(commands);
        declarables.add(deadLettered);
        declarables.add(BindingBuilder.bind(deadLettered).to(deadLetters).with(dlq));
        routes.toKafkaByRoutingKey().values().forEach(route -> declarables.add(
                new Binding(commands.getName(), Binding.DestinationType.QUEUE, route.exchange(),
                        route.effectiveRoutingKey(), null)));
        return new Declarables(declarables);
    }
}

package dev.tu.bridge.routing;

import dev.tu.bridge.routing.BridgeProperties.Direction;
import dev.tu.bridge.routing.BridgeProperties.Route;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The validated routes, indexed the way each direction looks them up. */
public final class RouteTable {

    private final Map<String, Route> byTopic = new LinkedHashMap<>();
    private final Map<String, Route> byRoutingKey = new LinkedHashMap<>();
    private final Map<String, Boolean> parkUnroutedByExchange = new java.util.TreeMap<>();

    public RouteTable(List<Route> routes) {
        Set<String> pairs = new HashSet<>();
        for (Route route : routes) {
            if (route.direction() == Direction.KAFKA_TO_RABBIT) {
                if (byTopic.putIfAbsent(route.topic(), route) != null) {
                    throw new IllegalArgumentException("Topic " + route.topic() + " is bridged to RabbitMQ twice");
                }
            } else if (byRoutingKey.putIfAbsent(route.effectiveRoutingKey(), route) != null) {
                throw new IllegalArgumentException("Routing key " + route.effectiveRoutingKey()
                        + " is bridged to Kafka twice");
            }
            pairs.add(route.direction() + ":" + route.topic());
            Boolean parks = parkUnroutedByExchange.putIfAbsent(route.exchange(), route.parkUnrouted());
            if (parks != null && parks != route.parkUnrouted()) {
                // One exchange has one set of arguments: it has the alternate exchange or it has not.
                throw new IllegalArgumentException("Routes to exchange " + route.exchange()
                        + " disagree on park-unrouted");
            }
        }
        // A topic bridged both ways would echo every message forever, marker or not: refuse it.
        for (Route route : routes) {
            Direction other = route.direction() == Direction.KAFKA_TO_RABBIT
                    ? Direction.RABBIT_TO_KAFKA : Direction.KAFKA_TO_RABBIT;
            if (pairs.contains(other + ":" + route.topic())) {
                throw new IllegalArgumentException("Topic " + route.topic() + " is bridged in both directions: "
                        + "that is a loop");
            }
        }
    }

    /** Kafka topics the bridge consumes. */
    public List<String> kafkaTopics() {
        return List.copyOf(byTopic.keySet());
    }

    /** Routing keys the commands queue is bound with. */
    public Map<String, Route> toKafkaByRoutingKey() {
        return Map.copyOf(byRoutingKey);
    }

    /** Where a record from {@code topic} goes. */
    public Optional<Route> toRabbit(String topic) {
        return Optional.ofNullable(byTopic.get(topic));
    }

    /** Where a message with {@code routingKey} goes. */
    public Optional<Route> toKafka(String routingKey) {
        return Optional.ofNullable(byRoutingKey.get(routingKey));
    }

    /** Exchanges named by any route. */
    public Set<String> exchanges() {
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(parkUnroutedByExchange.keySet()));
    }

    /** Whether what no queue is bound for on {@code exchange} is parked (alternate exchange) or held. */
    public boolean parksUnrouted(String exchange) {
        return parkUnroutedByExchange.getOrDefault(exchange, true);
    }
}

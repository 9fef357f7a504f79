package dev.tu.contracts;

/** RabbitMQ exchanges and queues. Routing keys are the event or command type. */
public final class Exchanges {

    /** Topic exchange: every event bridged from Kafka, routing key = event type. */
    public static final String EVENTS = "tu.events";
    /** Topic exchange: commands to bridge to Kafka, routing key = command type. */
    public static final String COMMANDS = "tu.commands";
    /** Topic exchange: status changes for live clients, routing key = {@code tenant.imageId}. */
    public static final String NOTIFICATIONS = "tu.notifications";
    /**
     * Alternate exchange of {@link #EVENTS} and {@link #COMMANDS}: what no queue is bound for is parked
     * in {@link #UNROUTED_QUEUE} instead of being dropped or blocking the publisher.
     */
    public static final String UNROUTED = "tu.unrouted";
    /** Queue holding messages nothing was bound for; an operator inspects and re-publishes them. */
    public static final String UNROUTED_QUEUE = "tu.unrouted";
    /** Exchange argument naming the alternate exchange; every declarer must use the same arguments. */
    public static final String ALTERNATE_EXCHANGE_ARGUMENT = "alternate-exchange";

    /** Exchange that receives what a queue dead-letters. */
    public static final String DEAD_LETTERS = "tu.dlx";

    /** Quorum queue: the orchestrator's view of every event. */
    public static final String ORCHESTRATOR_EVENTS_QUEUE = "tu.orchestrator.events";
    /** Quorum queue: the bridge's intake of commands bound for Kafka. */
    public static final String BRIDGE_COMMANDS_QUEUE = "tu.bridge.commands";

    private Exchanges() {
    }

    /** The dead-letter queue paired with {@code queue}. */
    public static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }
}

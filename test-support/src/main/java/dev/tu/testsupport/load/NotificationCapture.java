package dev.tu.testsupport.load;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every status notification the orchestrator sends on {@code tu.notifications}, as a client sees it: a
 * durable queue of its own bound with {@code #}, so that what is sent while this consumer reconnects
 * after a broker restart waits in the queue. The client recovers its connection by itself.
 */
public final class NotificationCapture implements AutoCloseable {

    private static final String EXCHANGE = "tu.notifications";
    private static final ObjectMapper json = new ObjectMapper();

    /** One notification: its event id, image, status, and when this consumer got it. */
    public record Notification(String id, UUID imageId, String status, String failureCode, Instant receivedAt) {

        /** Whether the status is an end of the workflow. */
        public boolean terminal() {
            return "COMPLETED".equals(status) || "FAILED".equals(status);
        }
    }

    private final Connection connection;
    private final String queue;
    private final List<Notification> received = new ArrayList<>();

    private NotificationCapture(Connection connection, String queue) {
        this.connection = connection;
        this.queue = queue;
    }

    /**
     * Starts capturing on the node at {@code host:port} (the exchange must exist: start the orchestrator
     * first). The queue is named {@code queue}, durable, and emptied first.
     */
    public static NotificationCapture start(String host, int port, String queue) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1000);
        try {
            Connection connection = factory.newConnection("tu-notification-capture");
            NotificationCapture capture = new NotificationCapture(connection, queue);
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, true, false, false, null);
            channel.queuePurge(queue);
            channel.queueBind(queue, EXCHANGE, "#");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) {
                    capture.add(properties.getMessageId(), body);
                }
            });
            return capture;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot capture notifications on " + host + ":" + port, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot capture notifications on " + host + ":" + port, e);
        }
    }

    private void add(String id, byte[] body) {
        Instant now = Instant.now();
        try {
            JsonNode change = json.readTree(body);
            UUID image = UUID.fromString(change.path("imageId").asString());
            String failureCode = change.path("failureCode").isNull() ? null : change.path("failureCode").asString(null);
            synchronized (received) {
                received.add(new Notification(id, image, change.path("status").asString(), failureCode, now));
            }
        } catch (RuntimeException unreadable) {
            synchronized (received) {
                received.add(new Notification(id, null, "UNREADABLE", null, now));
            }
        }
    }

    /** What was received so far, in order. */
    public List<Notification> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        try {
            connection.abort(2000);
        } catch (RuntimeException ignored) {
            // Closing is best effort: the broker may be gone already.
        }
    }

    /** The queue's name. */
    public String queue() {
        return queue;
    }
}

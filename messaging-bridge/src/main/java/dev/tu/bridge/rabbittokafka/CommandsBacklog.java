package dev.tu.bridge.rabbittokafka;

import dev.tu.bridge.routing.BridgeProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The RabbitMQ → Kafka lag: messages waiting (ready, not yet delivered) in the commands queue, as the
 * gauge {@code tu.bridge.lag{direction=rabbit-to-kafka}} in messages (Prometheus
 * {@code tu_bridge_lag_messages}). The Kafka → RabbitMQ lag is the Kafka consumer's own
 * {@code records-lag}. The count is read with a passive queue declaration every
 * {@code tu.bridge.lag-refresh} on the scheduler, so a scrape only reads a number; while the broker
 * cannot be asked the gauge is NaN (no stale number that looks current).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CommandsBacklog implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CommandsBacklog.class);
    private static final long UNKNOWN = -1;

    private final AmqpAdmin admin;
    private final BridgeProperties properties;
    private final AtomicLong waiting = new AtomicLong(UNKNOWN);

    CommandsBacklog(AmqpAdmin admin, BridgeProperties properties, MeterRegistry meters) {
        this.admin = admin;
        this.properties = properties;
        Gauge.builder("tu.bridge.lag", waiting, value -> value.get() == UNKNOWN ? Double.NaN : value.get())
                .tag("direction", "rabbit-to-kafka")
                .baseUnit("messages")
                .description("Messages waiting in the commands queue for the bridge to carry to Kafka")
                .register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::refresh, properties.lagRefresh());
    }

    void refresh() {
        try {
            QueueInformation queue = admin.getQueueInfo(properties.commandsQueue());
            waiting.set(queue == null ? UNKNOWN : queue.getMessageCount());
        } catch (AmqpException e) {
            waiting.set(UNKNOWN);
            log.debug("Could not read the length of {}: {}", properties.commandsQueue(), e.toString());
        }
    }
}

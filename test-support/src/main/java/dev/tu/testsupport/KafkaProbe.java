package dev.tu.testsupport;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches a topic from the moment it is created (no consumer group, no commits), so a test sees
 * exactly the records produced while it runs.
 */
public final class KafkaProbe implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new CopyOnWriteArrayList<>();

    private KafkaProbe(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** Starts watching {@code topic} at its current end; the topic must exist. */
    public static KafkaProbe watch(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        await("topic " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
            partitions.clear();
            consumer.partitionsFor(topic, Duration.ofSeconds(5))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            return !partitions.isEmpty();
        });
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return new KafkaProbe(consumer);
    }

    /** Waits until at least one record with {@code key} arrived, then returns all seen with that key. */
    public List<ConsumerRecord<String, String>> awaitKey(String key, Duration atMost) {
        await("a record with key " + key).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> !withKey(key).isEmpty());
        return withKey(key);
    }

    /** Records seen so far with {@code key}, after polling what is available now. */
    public List<ConsumerRecord<String, String>> withKey(String key) {
        poll();
        return seen.stream().filter(record -> key.equals(record.key())).toList();
    }

    /** Keys of all records seen so far, after polling what is available now. */
    public java.util.Set<String> keys() {
        poll();
        return seen.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet());
    }

    /** A record's headers as strings (CloudEvents attributes and traceparent are strings). */
    public static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private synchronized void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}

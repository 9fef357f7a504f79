package dev.tu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tu.contracts.Topics;
import dev.tu.testsupport.KafkaProbe;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Photos;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import dev.tu.testsupport.SuiteLayout;
import dev.tu.testsupport.Uploads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of ai-vision-adapter in the middle of a stream of real photos: after the restart every image
 * is analysed — none is lost; what was analysed but not yet committed is analysed again (counted and
 * printed). This adapter runs beside the suite's with its own consumer group and CloudEvents source,
 * so its results can be told apart.
 */
class AdapterSurvivesACrashIT {

    private static final String SOURCE = "/tu/ai-vision-adapter/crash-test";
    private static final List<String> PHOTOS = List.of("street-sign-car-people.jpg", "generator-sign.jpg",
            "road-sign-text.jpg", "scene-text.jpg", "licenseplate-motion-blur.jpg");

    @Test
    void noImageIsLostWhenTheAdapterIsKilledMidStream() {
        Suite suite = Suite.shared();
        Map<String, String> infra = SuiteLayout.locate().infrastructure();
        Map<String, String> env = Map.of(
                "SERVER_PORT", "18084", "MANAGEMENT_SERVER_PORT", "19084",
                "SPRING_KAFKA_CONSUMER_GROUPID", "adapter-crash-" + UUID.randomUUID(),
                "SPRING_KAFKA_CONSUMER_AUTOOFFSETRESET", "latest",
                "TU_ADAPTER_SOURCE", SOURCE);
        List<String> stream = new ArrayList<>();
        try (KafkaProbe analyzed = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_ANALYZED)) {
            ServiceProcess adapter = Suite.startOne(Service.VISION_ADAPTER, env);
            try {
                // With "latest", records sent before the group has its partitions are not its to see:
                // a sentinel, sent again until one is analysed, proves the stream below will be.
                await("the second adapter consumes").atMost(Duration.ofSeconds(120)).until(() ->
                        analysedWithin(analyzed, upload(suite, "generator-sign.jpg"), Duration.ofSeconds(20)));
                PHOTOS.forEach(photo -> stream.add(upload(suite, photo)));
                await("a first result of the stream").atMost(Duration.ofSeconds(60))
                        .until(() -> stream.stream().anyMatch(id -> !ours(analyzed.withKey(id)).isEmpty()));
            } finally {
                adapter.kill();
            }
            try (ServiceProcess restarted = Suite.startOne(Service.VISION_ADAPTER, env)) {
                await("every image analysed after the restart").atMost(Duration.ofSeconds(120))
                        .until(() -> stream.stream().allMatch(id -> !ours(analyzed.withKey(id)).isEmpty()));
                Map<String, Integer> perImage = stream.stream()
                        .collect(Collectors.toMap(id -> id, id -> ours(analyzed.withKey(id)).size()));
                int duplicates = perImage.values().stream().mapToInt(n -> n - 1).sum();
                System.out.printf("adapter crash: images=%d analysed=%d duplicates=%d%n", stream.size(),
                        perImage.values().stream().filter(n -> n > 0).count(), duplicates);
                assertThat(perImage.values()).allMatch(n -> n >= 1);
                assertThat(restarted.isAlive()).isTrue();
            }
        }
    }

    private static boolean analysedWithin(KafkaProbe analyzed, String imageId, Duration wait) {
        try {
            await().atMost(wait).until(() -> !ours(analyzed.withKey(imageId)).isEmpty());
            return true;
        } catch (ConditionTimeoutException notYet) {
            return false;
        }
    }

    private static String upload(Suite suite, String photo) {
        var response = Uploads.upload(suite.get(Service.INGESTION).baseUri(), Keycloak.local().accessToken("alice"),
                Photos.load(photo), "image/jpeg", photo, "CRASH-TEST", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.body().replaceFirst(".*?\"id\":\"([0-9a-f-]{36})\".*", "$1");
    }

    private static List<ConsumerRecord<String, String>> ours(List<ConsumerRecord<String, String>> records) {
        return records.stream().filter(record -> SOURCE.equals(KafkaProbe.headers(record).get("ce_source"))).toList();
    }
}

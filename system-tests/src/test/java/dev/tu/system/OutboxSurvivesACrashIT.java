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
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of ingestion-service after the upload's commit and before Kafka has the event: after a
 * restart the outbox publishes it, exactly once. Kafka is out of reach of the first process (its
 * bootstrap address is a closed port), so the crash is certain to fall between commit and send.
 */
class OutboxSurvivesACrashIT {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    @Test
    void anEventCommittedBeforeACrashIsPublishedOnceAfterTheRestart() throws Exception {
        Map<String, String> infra = SuiteLayout.locate().infrastructure();
        String imageId;
        dev.tu.testsupport.KafkaTopics.ensure(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED);
        try (KafkaProbe uploaded = KafkaProbe.watch(infra.get("TU_KAFKA_BOOTSTRAP"), Topics.IMAGE_UPLOADED)) {
            ServiceProcess cutOff = Suite.startOne(Service.INGESTION, Map.of(
                    "SERVER_PORT", "18083", "MANAGEMENT_SERVER_PORT", "19083",
                    "SPRING_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:" + closedPort(),
                    "SPRING_KAFKA_ADMIN_AUTOCREATE", "false"));
            try {
                HttpResponse<String> response = Uploads.upload(cutOff.baseUri(), Keycloak.local().accessToken("alice"),
                        Photos.load("street-leuven-exif-gps.jpg"), "image/jpeg", "street.jpg", "EXC-CRASH", null);
                assertThat(response.statusCode()).isEqualTo(202);
                Matcher id = ID.matcher(response.body());
                assertThat(id.find()).isTrue();
                imageId = id.group(1);
                assertThat(publicationCompleted(infra, imageId)).as("committed, not yet sent").isFalse();
            } finally {
                cutOff.kill();
            }
            assertThat(uploaded.withKey(imageId)).isEmpty();

            // Its own ports: the shared suite's ingestion-service may be running beside it.
            try (ServiceProcess restarted = Suite.startOne(Service.INGESTION,
                    Map.of("SERVER_PORT", "18083", "MANAGEMENT_SERVER_PORT", "19083"))) {
                uploaded.awaitKey(imageId, Duration.ofSeconds(60));
                await("the outbox record completed").atMost(Duration.ofSeconds(30))
                        .until(() -> publicationCompleted(infra, imageId));
                await("no second copy").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> uploaded.withKey(imageId).size() == 1);
                assertThat(restarted.isAlive()).isTrue();
            }
        }
    }

    private static boolean publicationCompleted(Map<String, String> infra, String imageId) throws Exception {
        String url = "jdbc:postgresql://" + infra.get("TU_POSTGRES_HOST") + ":" + infra.get("TU_POSTGRES_PORT")
                + "/tu_ingestion";
        try (Connection connection = DriverManager.getConnection(url, "tu_ingestion", "dev-only-ingestion");
                PreparedStatement query = connection.prepareStatement(
                        "select completion_date is not null from event_publication where serialized_event like ?")) {
            query.setString(1, "%" + imageId + "%");
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("an outbox record for %s", imageId).isTrue();
                return row.getBoolean(1);
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

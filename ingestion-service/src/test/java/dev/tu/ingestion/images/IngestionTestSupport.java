package dev.tu.ingestion.images;

import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.SuiteLayout;
import java.net.URI;
import java.util.Map;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Talks to a running ingestion-service the way clients do: multipart uploads with real tokens. */
final class IngestionTestSupport {

    static final Keycloak keycloak = Keycloak.local();
    static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    static final String TEST_BUCKET = "tu-images-test";
    private static final S3Client S3 = S3Client.builder()
            .endpointOverride(URI.create(infra.get("TU_S3_ENDPOINT")))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(infra.get("TU_S3_ACCESS_KEY"), infra.get("TU_S3_SECRET_KEY"))))
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    private IngestionTestSupport() {
    }

    /** Points the service at the real infrastructure, on the test database and bucket. */
    static void realInfrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://" + infra.get("TU_POSTGRES_HOST") + ":"
                + infra.get("TU_POSTGRES_PORT") + "/tu_ingestion_test");
        registry.add("spring.kafka.bootstrap-servers", () -> infra.get("TU_KAFKA_BOOTSTRAP"));
        registry.add("tu.storage.endpoint", () -> infra.get("TU_S3_ENDPOINT"));
        registry.add("tu.storage.bucket", () -> TEST_BUCKET);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> infra.get("TU_ISSUER_URI"));
    }

    static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    /** A multipart upload as a browser or the CLI sends it. */
    static ResponseEntity<String> upload(RestClient client, String user, byte[] bytes, String contentType,
            String fileName, String assetId, String idempotencyKey) {
        return client.post().uri("/api/v1/images")
                .headers(headers -> {
                    headers.setBearerAuth(keycloak.accessToken(user));
                    if (idempotencyKey != null) {
                        headers.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(multipart(bytes, contentType, fileName, assetId))
                .retrieve()
                .toEntity(String.class);
    }

    /** The form: a {@code file} part with its own Content-Type and name, and an optional assetId. */
    static MultiValueMap<String, Object> multipart(byte[] bytes, String contentType, String fileName,
            String assetId) {
        HttpHeaders partHeaders = new HttpHeaders();
        if (contentType != null) {
            partHeaders.setContentType(MediaType.parseMediaType(contentType));
        }
        ByteArrayResource file = new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return fileName;
            }
        };
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("file", new HttpEntity<>(file, partHeaders));
        if (assetId != null) {
            form.add("assetId", assetId);
        }
        return form;
    }

    /** How many objects the test bucket holds under {@code prefix}. */
    static long objectCount(String prefix) {
        return S3.listObjectsV2Paginator(request -> request.bucket(TEST_BUCKET).prefix(prefix)).contents().stream()
                .count();
    }

    static ResponseEntity<String> get(RestClient client, String user, String path) {
        return client.get().uri(path).headers(headers -> headers.setBearerAuth(keycloak.accessToken(user)))
                .retrieve().toEntity(String.class);
    }
}

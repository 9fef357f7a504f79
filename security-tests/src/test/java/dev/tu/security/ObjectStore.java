package dev.tu.security;

import dev.tu.testsupport.SuiteLayout;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The suite's object store, read directly: what the services stored, not what they say they stored. */
final class ObjectStore {

    private static final Map<String, String> infra = SuiteLayout.locate().infrastructure();
    private static final S3Client s3 = S3Client.builder()
            .endpointOverride(URI.create(infra.get("TU_S3_ENDPOINT"))).region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(infra.get("TU_S3_ACCESS_KEY"), infra.get("TU_S3_SECRET_KEY"))))
            .httpClient(UrlConnectionHttpClient.create()).build();

    private ObjectStore() {
    }

    /** The bytes under {@code key} in the suite's bucket. */
    static byte[] read(String key) {
        return s3.getObjectAsBytes(request -> request.bucket(infra.get("TU_S3_BUCKET")).key(key)).asByteArray();
    }

    /** How many objects the suite's bucket holds under {@code prefix}. */
    static int count(String prefix) {
        return s3.listObjectsV2Paginator(request -> request.bucket(infra.get("TU_S3_BUCKET")).prefix(prefix))
                .contents().stream().mapToInt(object -> 1).sum();
    }
}

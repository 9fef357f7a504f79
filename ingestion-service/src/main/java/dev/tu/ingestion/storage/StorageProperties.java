package dev.tu.ingestion.storage;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where original image bytes are kept.
 *
 * @param endpoint   the S3 API endpoint (s3proxy locally, the store's Service in the cluster)
 * @param region     signing region; S3-compatible stores accept any
 * @param bucket     the bucket of originals
 * @param accessKey  access key id (from a Secret in the cluster)
 * @param secretKey  secret access key (from a Secret in the cluster)
 * @param timeout    how long one store call may take before the upload fails with 503
 */
@Validated
@ConfigurationProperties("tu.storage")
public record StorageProperties(
        @NotNull URI endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        @NotBlank String bucket,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        @DefaultValue("10s") @NotNull Duration timeout) {

    @Override
    public String toString() {
        return "StorageProperties[endpoint=" + endpoint + ", bucket=" + bucket + "]";
    }
}

package dev.tu.vision.store;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The object store the originals are in.
 *
 * @param endpoint  S3 API endpoint
 * @param region    signing region
 * @param bucket    bucket of originals
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param timeout   how long one read may take
 */
@Validated
@ConfigurationProperties("tu.storage")
public record StoreProperties(
        @NotNull URI endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        @NotBlank String bucket,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        @DefaultValue("10s") @NotNull Duration timeout) {

    @Override
    public String toString() {
        return "StoreProperties[endpoint=" + endpoint + ", bucket=" + bucket + "]";
    }
}

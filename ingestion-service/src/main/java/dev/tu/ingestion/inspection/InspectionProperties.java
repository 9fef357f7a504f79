package dev.tu.ingestion.inspection;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits an upload must stay within.
 *
 * @param maxFileSize  largest accepted file; larger is 413 (the multipart limit is set just above it)
 * @param maxDimension largest accepted width or height in pixels, read from the header
 * @param maxPixels    largest accepted width × height; guards decoders downstream against bombs
 * @param maxNameLength longest accepted original file name
 */
@Validated
@ConfigurationProperties("tu.upload")
public record InspectionProperties(
        @DefaultValue("20MB") DataSize maxFileSize,
        @DefaultValue("12000") @Min(16) @Max(65535) int maxDimension,
        @DefaultValue("50000000") @Positive long maxPixels,
        @DefaultValue("200") @Min(16) @Max(255) int maxNameLength) {
}

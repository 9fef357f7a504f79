package dev.tu.vision.models;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the models are and how inference runs.
 *
 * @param dir            folder holding {@code models.json} and the model files (baked into the image)
 * @param intraOpThreads threads one inference may use
 * @param provider       ONNX Runtime execution provider: {@code cpu}, or {@code cuda} where a GPU and
 *                       the GPU build of ONNX Runtime are present
 */
@Validated
@ConfigurationProperties("tu.models")
public record ModelsProperties(
        @NotNull Path dir,
        @DefaultValue("2") @Min(1) int intraOpThreads,
        @DefaultValue("cpu") @NotNull Provider provider) {

    /** Execution providers this adapter knows how to ask for. */
    public enum Provider {
        /** The default: CPU, natives inside the onnxruntime jar. */
        CPU,
        /** NVIDIA GPU through the onnxruntime_gpu artifact. */
        CUDA
    }
}

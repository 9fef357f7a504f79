package dev.tu.vision;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** ai-vision-adapter: analyses uploaded images with real models on CPU and publishes the results to Kafka. */
@SpringBootApplication
public class VisionAdapterApplication {

    public static void main(String[] args) {
        SpringApplication.run(VisionAdapterApplication.class, args);
    }
}

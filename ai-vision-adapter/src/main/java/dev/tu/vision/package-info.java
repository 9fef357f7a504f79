/** ai-vision-adapter: analyses uploaded images with real models on CPU and publishes the results to Kafka. */
package dev.tu.vision;

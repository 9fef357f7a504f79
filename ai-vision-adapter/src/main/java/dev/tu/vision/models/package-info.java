/**
 * The model files the build fetched (see {@code ai-vision-adapter/models}): their catalogue
 * ({@code models.json}: name, version, checksum, licence, labels), checked against the files at
 * start-up, and ONNX Runtime sessions over them with the configured threads and execution provider.
 */
package dev.tu.vision.models;

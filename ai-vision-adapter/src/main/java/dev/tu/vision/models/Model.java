package dev.tu.vision.models;

import java.nio.file.Path;
import java.util.List;

/**
 * One model file as the catalogue describes it.
 *
 * @param id      catalogue id, e.g. {@code nanodet}
 * @param name    human name
 * @param version the version of the package it came from
 * @param path    the file
 * @param sha256  its checksum, verified at start-up
 * @param labels  class labels, for classifiers and detectors
 */
public record Model(String id, String name, String version, Path path, String sha256, List<String> labels) {

    /** Name and version, as results record them. */
    public String nameAndVersion() {
        return name + " " + version;
    }
}

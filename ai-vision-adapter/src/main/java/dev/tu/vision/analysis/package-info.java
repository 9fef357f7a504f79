/**
 * The analyzers: each a small unit behind {@link dev.tu.vision.analysis.Analyzer}, each result carrying
 * its model (name, version, checksum, or {@code none} for rule-based ones) and its own duration.
 * Images are decoded once, oriented by EXIF, and every analyzer sees the same upright picture.
 */
package dev.tu.vision.analysis;

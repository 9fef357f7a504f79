/** Reads originals from the S3-compatible object store (read-only for this service, until derivatives land). */
package dev.tu.vision.store;

/** The S3-compatible object store that holds the original bytes (path-style, any S3 API). */
package dev.tu.ingestion.storage;

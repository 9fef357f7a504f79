/** ingestion-service: receives image uploads, stores bytes and metadata, publishes tu.image.uploaded through an outbox. */
package dev.tu.ingestion;

/**
 * Images: the upload (bytes to the store, metadata and the outbox record in one transaction) and the
 * tenant-scoped reads (one, a page by cursor, a batch by ids for graph-gateway, the original bytes).
 */
package dev.tu.ingestion.images;

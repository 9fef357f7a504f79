/**
 * The owners graph-gateway composes from: ingestion-service (images) and analysis-orchestrator
 * (analyses), called with the caller's own token (token relay) and always in batches.
 */
package dev.tu.graph.downstream;

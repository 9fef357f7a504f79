/**
 * Images, assets and their analyses as GraphQL. {@code Image.analysis} is a batch mapping: a page of N
 * images costs one call to ingestion and one to the orchestrator, never N.
 */
package dev.tu.graph.images;

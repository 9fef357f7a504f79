/**
 * GraphQL over HTTP as the specification asks, where Spring for GraphQL stops short: queries over GET
 * (mutations over GET are 405 with {@code Allow: POST}), and 406 for an {@code Accept} the endpoint
 * cannot answer. POST, the media types and the status codes of
 * {@code application/graphql-response+json} (400 for a document that fails to parse or validate, 200
 * with partial data for field errors) are Spring for GraphQL's own.
 */
package dev.tu.graph.http;

/**
 * Calls to the api-gateway: GraphQL over HTTP, subscriptions over WebSocket (graphql-transport-ws),
 * and multipart uploads that report their progress.
 */
package dev.tu.cli.api;

/**
 * GraphQL over WebSocket connections (graphql-transport-ws): the token arrives in
 * {@code connection_init} (browsers cannot set a header on a WebSocket) and is checked like any bearer
 * token; the connection is closed when that token expires; one connection runs a bounded number of
 * subscriptions at once.
 */
package dev.tu.graph.connection;

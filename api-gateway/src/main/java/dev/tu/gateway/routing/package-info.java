/** Where the gateway sends each request: uploads and image reads to ingestion, GraphQL to graph-gateway. */
package dev.tu.gateway.routing;

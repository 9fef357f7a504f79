/** graph-gateway: the GraphQL read path and live subscriptions, composed from the owning services (Aggregator). */
package dev.tu.graph;

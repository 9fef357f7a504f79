/**
 * The bridge's configuration: which Kafka topics go to which RabbitMQ exchange and back, validated at
 * start-up, and how CloudEvents headers are renamed between the two protocol bindings.
 */
package dev.tu.bridge.routing;

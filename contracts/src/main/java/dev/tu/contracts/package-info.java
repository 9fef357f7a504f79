/**
 * The contract between the services: event payloads, CloudEvents attribute names, and every Kafka
 * topic, RabbitMQ exchange, queue and dead-letter name. Producers and consumers name things only
 * through these constants so a rename is a compile error, not a silent split-brain.
 */
package dev.tu.contracts;

/**
 * Kafka → RabbitMQ: consumes the routed topics in batches, publishes each record persistent and
 * mandatory with publisher confirms, and commits the batch's offsets only once every record is
 * confirmed and none came back unroutable.
 */
package dev.tu.bridge.kafkatorabbit;

/**
 * Kafka → RabbitMQ: several consumers ({@code tu.bridge.consumers}) each take a batch, publish it on one
 * channel persistent and mandatory with publisher confirms, and commit the batch's offsets only once
 * every record is confirmed and none came back unroutable. A refused record is counted, logged with its
 * event id, and it and the records after it are not committed but published again after a back-off
 * (ADR 0006).
 */
package dev.tu.bridge.kafkatorabbit;

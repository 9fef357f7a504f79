/**
 * RabbitMQ → Kafka: consumes the commands quorum queue in consumer batches, produces each message to
 * its mapped topic, and acks the batch on RabbitMQ only after Kafka acknowledged its records; what
 * Kafka did not take is returned to the queue (and dead-lettered after the delivery limit).
 */
package dev.tu.bridge.rabbittokafka;

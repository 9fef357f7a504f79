/**
 * RabbitMQ → Kafka: consumes the commands quorum queue and produces each message to its mapped topic;
 * the RabbitMQ message is acked only after Kafka acknowledged the record, else it is returned to the
 * queue (and dead-lettered after the delivery limit).
 */
package dev.tu.bridge.rabbittokafka;

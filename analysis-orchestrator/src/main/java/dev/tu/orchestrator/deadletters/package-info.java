/**
 * Dead letters as a feature: what the pipeline gave up on — records in Kafka's dead-letter topics (the
 * adapter's poison messages) and messages in RabbitMQ's dead-letter queue (events past their delivery
 * limit) — is captured once into PostgreSQL with its cause and trace id, listed for administrators, and
 * replayed to where it came from after a fix. A replayed entry is not replayed again by accident.
 */
package dev.tu.orchestrator.deadletters;

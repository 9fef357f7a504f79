/**
 * The analysis workflow per image, kept in PostgreSQL: received → analyzing → completed | failed,
 * with attempts and deadlines. Events are applied once each (their ids are recorded in the same
 * transaction), in whatever order they arrive; overdue attempts are re-issued by a sweep that claims
 * rows with {@code FOR UPDATE SKIP LOCKED}, so several replicas never fire the same timeout twice.
 * Status changes are announced through an outbox (Spring Modulith's event publication registry): stored
 * with the change, sent after the commit, sent again until RabbitMQ confirmed them.
 */
package dev.tu.orchestrator.workflow;

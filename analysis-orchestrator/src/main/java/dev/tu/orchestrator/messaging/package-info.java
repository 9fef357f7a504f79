/**
 * The orchestrator on RabbitMQ: its quorum queue bound to {@code tu.events} (delivery limit,
 * at-least-once dead-lettering), commands to {@code tu.commands} with publisher confirms, status
 * changes to {@code tu.notifications} (routing key {@code tenant.imageId}).
 */
package dev.tu.orchestrator.messaging;

/** messaging-bridge: joins the Kafka world and the RabbitMQ world by configuration, without loss and without loops. */
package dev.tu.bridge;

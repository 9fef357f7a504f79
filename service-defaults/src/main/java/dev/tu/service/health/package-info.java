/** Health contributors Spring Boot does not ship, for the brokers every Kafka-facing service depends on. */
package dev.tu.service.health;

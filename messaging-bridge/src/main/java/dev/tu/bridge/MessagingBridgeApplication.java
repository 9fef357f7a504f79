package dev.tu.bridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** messaging-bridge: joins the Kafka world and the RabbitMQ world by configuration, without loss and without loops. */
@SpringBootApplication
public class MessagingBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(MessagingBridgeApplication.class, args);
    }
}

package dev.tu.graph;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** graph-gateway: the GraphQL read path and live subscriptions, composed from the owning services (Aggregator). */
@SpringBootApplication
public class GraphGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GraphGatewayApplication.class, args);
    }
}

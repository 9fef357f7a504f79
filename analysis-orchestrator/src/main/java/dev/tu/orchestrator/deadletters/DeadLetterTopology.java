package dev.tu.orchestrator.deadletters;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** The dead-letter topics it reads, declared here too so it can start before the adapter has. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeadLetterProperties.class)
class DeadLetterTopology {

    @Bean
    KafkaAdmin.NewTopics deadLetterTopics(DeadLetterProperties properties) {
        return new KafkaAdmin.NewTopics(properties.kafkaTopics().stream()
                .map(topic -> TopicBuilder.name(topic).partitions(properties.partitions()).build())
                .toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    }
}

package dev.tu.bridge.rabbittokafka;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RabbitConsumerConfiguration {

    /**
     * A consumer batch is handed over when it is full or when no further delivery came for this long:
     * the default (1 s) would hold a lone command back a whole second.
     */
    @Bean
    ContainerCustomizer<SimpleMessageListenerContainer> shortBatchWait() {
        return container -> container.setReceiveTimeout(20);
    }
}

package dev.tu.ingestion;

import dev.tu.ingestion.inspection.InspectionProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
@EnableConfigurationProperties(InspectionProperties.class)
class IngestionConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

package dev.tu.gateway.edge;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A body that stops arriving (slowloris) is dropped after {@code tu.edge.body-read-timeout}. Reactor
 * Netty's own idle timeout only covers the wait for a request, and the upstream's read timeout does not
 * reach back to the client: without this the gateway held such a connection open indefinitely
 * (security-tests HostileUploadsIT).
 */
@Configuration(proxyBeanMethods = false)
class StalledBodies {

    @Bean
    NettyServerCustomizer bodyReadTimeout(EdgeProperties properties) {
        return server -> server.readTimeout(properties.bodyReadTimeout());
    }
}

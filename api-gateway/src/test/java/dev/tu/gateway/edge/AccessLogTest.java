package dev.tu.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class AccessLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void oneLineWithTheRequestsFieldsAndWithoutItsQuery() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/api/v1/images?access_token=secret").header("X-Correlation-Id", "c-12345678"));
        exchange.getAttributes().put(CorrelationIdFilter.ATTRIBUTE, "c-12345678");
        WebFilterChain created = ex -> {
            ex.getResponse().setStatusCode(HttpStatus.ACCEPTED);
            return ex.getResponse().setComplete();
        };

        new AccessLog.AccessLogFilter(true).filter(exchange, created).block();

        assertThat(lines.list).hasSize(1);
        Map<String, Object> fields = fields(lines.list.getFirst());
        assertThat(fields).containsEntry("method", "POST").containsEntry("path", "/api/v1/images")
                .containsEntry("status", 202).containsEntry("correlationId", "c-12345678").containsKey("durationMs");
        assertThat(lines.list.getFirst().getFormattedMessage()).doesNotContain("secret");
    }

    @Test
    void anErrorIsLoggedWithTheStatusItsHandlerAnswers() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/nowhere"));
        WebFilterChain failing = ex -> Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));

        new AccessLog.AccessLogFilter(true).filter(exchange, failing)
                .onErrorResume(error -> {
                    assertThat(lines.list).as("not before the error's response").isEmpty();
                    exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
                    return exchange.getResponse().setComplete();
                })
                .block();

        assertThat(lines.list).hasSize(1);
        assertThat(fields(lines.list.getFirst())).containsEntry("status", 404);
    }

    @Test
    void switchedOffItWritesNothing() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/images"));

        new AccessLog.AccessLogFilter(false).filter(exchange, ex -> ex.getResponse().setComplete()).block();

        assertThat(lines.list).isEmpty();
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        return event.getKeyValuePairs().stream().collect(Collectors.toMap(pair -> pair.key, pair -> pair.value));
    }
}

package dev.tu.bridge.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.tu.bridge.routing.BridgeProperties.Direction;
import dev.tu.bridge.routing.BridgeProperties.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    @Test
    void exchangesParkUnroutedUnlessTheirRoutesHoldIt() {
        RouteTable table = new RouteTable(List.of(
                new Route(Direction.KAFKA_TO_RABBIT, "tu.image.uploaded", "tu.events", null, true),
                new Route(Direction.KAFKA_TO_RABBIT, "tu.audit", "tu.audit", null, false),
                new Route(Direction.RABBIT_TO_KAFKA, "tu.analysis.requested", "tu.commands", null, true)));

        assertThat(table.exchanges()).containsExactlyInAnyOrder("tu.events", "tu.audit", "tu.commands");
        assertThat(table.parksUnrouted("tu.events")).isTrue();
        assertThat(table.parksUnrouted("tu.audit")).isFalse();
        assertThat(table.toRabbit("tu.audit")).get().extracting(Route::effectiveRoutingKey).isEqualTo("tu.audit");
    }

    @Test
    void routesToOneExchangeMustAgreeOnUnroutedMessages() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RouteTable(List.of(
                        new Route(Direction.KAFKA_TO_RABBIT, "tu.image.uploaded", "tu.events", null, true),
                        new Route(Direction.KAFKA_TO_RABBIT, "tu.image.analyzed", "tu.events", null, false))))
                .withMessageContaining("tu.events");
    }

    @Test
    void aTopicBridgedBothWaysIsALoop() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RouteTable(List.of(
                        new Route(Direction.KAFKA_TO_RABBIT, "tu.x", "tu.events", null, true),
                        new Route(Direction.RABBIT_TO_KAFKA, "tu.x", "tu.commands", null, true))))
                .withMessageContaining("loop");
    }
}

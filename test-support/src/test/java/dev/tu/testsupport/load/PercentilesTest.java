package dev.tu.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfAHundred() {
        Percentiles p = Percentiles.of(IntStream.rangeClosed(1, 100).mapToObj(Duration::ofMillis).toList().reversed());
        assertThat(p.millis(50)).isEqualTo(50);
        assertThat(p.millis(95)).isEqualTo(95);
        assertThat(p.millis(99)).isEqualTo(99);
        assertThat(p.millis(100)).isEqualTo(100);
        assertThat(p).hasToString("p50=50 ms p95=95 ms p99=99 ms max=100 ms");
    }

    @Test
    void oneValueIsEveryPercentileAndNoneIsNone() {
        assertThat(Percentiles.of(List.of(Duration.ofMillis(7))).millis(1)).isEqualTo(7);
        assertThat(Percentiles.of(List.of()).millis(50)).isEqualTo(-1);
        assertThat(Percentiles.of(List.of())).hasToString("n/a");
        assertThatThrownBy(() -> Percentiles.of(List.of()).millis(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.tu.testsupport.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Nearest-rank percentiles of a few thousand durations: a sorted list is enough at this size. */
public final class Percentiles {

    private final List<Long> sortedMillis;

    private Percentiles(List<Long> sortedMillis) {
        this.sortedMillis = sortedMillis;
    }

    /** The percentiles of {@code durations} (copied). */
    public static Percentiles of(Collection<Duration> durations) {
        List<Long> millis = new ArrayList<>(durations.size());
        durations.forEach(duration -> millis.add(duration.toMillis()));
        millis.sort(null);
        return new Percentiles(List.copyOf(millis));
    }

    /** How many durations there are. */
    public int count() {
        return sortedMillis.size();
    }

    /** The nearest-rank {@code p}th percentile in milliseconds (0 &lt; p ≤ 100); -1 when there is none. */
    public long millis(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("A percentile is in (0, 100]: " + p);
        }
        if (sortedMillis.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100 * sortedMillis.size());
        return sortedMillis.get(Math.max(rank, 1) - 1);
    }

    /** {@code p50=… p95=… p99=… max=…} in milliseconds, or {@code n/a} when empty. */
    @Override
    public String toString() {
        if (sortedMillis.isEmpty()) {
            return "n/a";
        }
        return "p50=%d ms p95=%d ms p99=%d ms max=%d ms".formatted(millis(50), millis(95), millis(99),
                sortedMillis.getLast());
    }
}

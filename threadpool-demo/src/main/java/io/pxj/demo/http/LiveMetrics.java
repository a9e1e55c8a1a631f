package io.pxj.demo.http;

import io.pxj.http.HttpRequest;
import io.pxj.http.RequestListener;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters and latency percentiles for {@code /stats} and the dashboard.
 *
 * <p>It is the HTTP server's {@link RequestListener}: pool threads call {@link #requestCompleted} concurrently
 * (wait-free: {@link LongAdder}s and an HdrHistogram {@link Recorder}); the main thread calls {@link #roll} once a
 * second (the http command's timer asks it to via
 * {@code callFromMainThread}), which turns the last interval into an immutable {@link Snapshot}; handlers read the
 * latest snapshot through a volatile field. No per-request allocation, no per-request logging.
 */
public final class LiveMetrics implements RequestListener {
    private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] statusClasses = {new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder(), new LongAdder(), new LongAdder()}; // other, 1xx .. 5xx
    private final Histogram total = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    private final long startNanos;
    private Histogram interval;
    private long lastRollNanos;
    private long lastCount;
    private volatile Snapshot snapshot;

    public LiveMetrics(long nowNanos) {
        this.startNanos = nowNanos;
        this.lastRollNanos = nowNanos;
        this.snapshot = Snapshot.empty();
    }

    @Override
    public void requestCompleted(HttpRequest request, int status, long nanos) {
        record(status, nanos);
    }

    /** Counts one response with {@code status} that took {@code nanos}; thread-safe, wait-free. */
    public void record(int status, long nanos) {
        requests.increment();
        int c = status / 100;
        statusClasses[c >= 1 && c <= 5 ? c : 0].increment();
        recorder.recordValue(Math.max(0, Math.min(nanos, TimeUnit.MINUTES.toNanos(1))));
    }

    /** Main thread: closes the current interval and publishes a new snapshot. */
    public synchronized Snapshot roll(long nowNanos) {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        long count = requests.sum();
        double seconds = Math.max(1e-9, (nowNanos - lastRollNanos) / 1e9);
        double rate = (count - lastCount) / seconds;
        lastCount = count;
        lastRollNanos = nowNanos;
        Map<String, Long> status = new LinkedHashMap<>();
        status.put("1xx", statusClasses[1].sum());
        status.put("2xx", statusClasses[2].sum());
        status.put("3xx", statusClasses[3].sum());
        status.put("4xx", statusClasses[4].sum());
        status.put("5xx", statusClasses[5].sum());
        status.put("other", statusClasses[0].sum());
        Snapshot s = new Snapshot((nowNanos - startNanos) / 1_000_000L, count, Math.round(rate * 10) / 10.0,
                status, Latency.of(interval), Latency.of(total));
        snapshot = s;
        return s;
    }

    /** The latest snapshot (thread-safe). */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * One second's view (rendered as JSON by {@code /stats}).
     *
     * @param uptimeMs          since the metrics started
     * @param requests          requests completed since start
     * @param requestsPerSecond over the last interval
     * @param status            requests by status class since start
     * @param latency           the last interval's latency percentiles
     * @param latencyTotal      latency percentiles since start
     */
    public record Snapshot(long uptimeMs, long requests, double requestsPerSecond, Map<String, Long> status,
                           Latency latency, Latency latencyTotal) {
        static Snapshot empty() {
            return new Snapshot(0, 0, 0, Map.of(), Latency.EMPTY, Latency.EMPTY);
        }
    }

    /** Latency percentiles in microseconds (fractional). */
    public record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
        static final Latency EMPTY = new Latency(0, 0, 0, 0, 0, 0, 0);

        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) { return EMPTY; }
            return new Latency(h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
                    us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()),
                    Math.round(h.getMean() / 10.0) / 100.0);
        }

        private static double us(long nanos) {
            return Math.round(nanos / 10.0) / 100.0;
        }
    }
}

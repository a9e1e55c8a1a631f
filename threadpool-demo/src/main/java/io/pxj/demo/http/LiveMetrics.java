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
 * Request counters and the two latency figures for {@code /stats} and the dashboard:
 * <ul>
 *   <li><b>server time</b> ({@value #SERVER_TIME}): from the read completion that delivered the last byte of the
 *       request head to the send completion that handed the last byte of the response to the kernel; includes
 *       queueing behind other requests on the same thread, parsing, the handler and back-pressure;</li>
 *   <li><b>handler time</b> ({@value #HANDLER_TIME}): routing, the handler and encoding only.</li>
 * </ul>
 *
 * <p>It is the HTTP server's {@link RequestListener}: pool threads call {@link #requestCompleted} and
 * {@link #responseSent} concurrently (wait-free: {@link LongAdder}s and HdrHistogram {@link Recorder}s); the main
 * thread calls {@link #roll} once a second (the http command's timer asks it to via {@code callFromMainThread}),
 * which turns the last interval into an immutable {@link Snapshot}; handlers read the latest snapshot through a
 * volatile field. No per-request allocation, no per-request logging.
 */
public final class LiveMetrics implements RequestListener {
    /** What the server time measures, as {@code /stats} and the dashboard name it. */
    public static final String SERVER_TIME = "in server: read \u2192 written";
    /** What the handler time measures. */
    public static final String HANDLER_TIME = "handler: parsed head \u2192 encoded response";
    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Recorder serverRecorder = new Recorder(MAX_NANOS, 3);
    private final Recorder handlerRecorder = new Recorder(MAX_NANOS, 3);
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] statusClasses = {new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder(), new LongAdder(), new LongAdder()}; // other, 1xx .. 5xx
    private final Histogram serverTotal = new Histogram(MAX_NANOS, 3);
    private final Histogram handlerTotal = new Histogram(MAX_NANOS, 3);
    private final long startNanos;
    private Histogram serverInterval, handlerInterval;
    private long lastRollNanos;
    private long lastCount;
    private volatile Snapshot snapshot;

    public LiveMetrics(long nowNanos) {
        this.startNanos = nowNanos;
        this.lastRollNanos = nowNanos;
        this.snapshot = Snapshot.empty();
    }

    @Override
    public void requestCompleted(HttpRequest request, int status, long handlerNanos) {
        record(status, handlerNanos);
    }

    @Override
    public void responseSent(int status, long serverNanos) {
        recordServerTime(serverNanos);
    }

    /** Counts one response with {@code status} whose handler took {@code handlerNanos}; thread-safe, wait-free. */
    public void record(int status, long handlerNanos) {
        requests.increment();
        int c = status / 100;
        statusClasses[c >= 1 && c <= 5 ? c : 0].increment();
        handlerRecorder.recordValue(clamp(handlerNanos));
    }

    /** Records one response's server time; thread-safe, wait-free. */
    public void recordServerTime(long serverNanos) {
        serverRecorder.recordValue(clamp(serverNanos));
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(nanos, MAX_NANOS));
    }

    /** Main thread: closes the current interval and publishes a new snapshot. */
    public synchronized Snapshot roll(long nowNanos) {
        serverInterval = serverRecorder.getIntervalHistogram(serverInterval);
        handlerInterval = handlerRecorder.getIntervalHistogram(handlerInterval);
        serverTotal.add(serverInterval);
        handlerTotal.add(handlerInterval);
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
                status, Latency.of(SERVER_TIME, serverInterval), Latency.of(HANDLER_TIME, handlerInterval),
                Latency.of(SERVER_TIME, serverTotal), Latency.of(HANDLER_TIME, handlerTotal));
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
     * @param serverTime        the last interval's server time percentiles (read completion to send completion)
     * @param handlerTime       the last interval's handler time percentiles
     * @param serverTimeTotal   server time percentiles since start
     * @param handlerTimeTotal  handler time percentiles since start
     */
    public record Snapshot(long uptimeMs, long requests, double requestsPerSecond, Map<String, Long> status,
                           Latency serverTime, Latency handlerTime, Latency serverTimeTotal,
                           Latency handlerTimeTotal) {
        static Snapshot empty() {
            return new Snapshot(0, 0, 0, Map.of(), Latency.empty(SERVER_TIME), Latency.empty(HANDLER_TIME),
                    Latency.empty(SERVER_TIME), Latency.empty(HANDLER_TIME));
        }
    }

    /**
     * Percentiles of one figure, in microseconds with one decimal ({@code unit}); {@code what} names the figure.
     */
    public record Latency(String what, String unit, long count, double p50, double p90, double p99, double p999,
                          double max, double mean) {
        static final String UNIT = "\u00b5s";

        static Latency empty(String what) {
            return new Latency(what, UNIT, 0, 0, 0, 0, 0, 0, 0);
        }

        static Latency of(String what, Histogram h) {
            if (h.getTotalCount() == 0) { return empty(what); }
            return new Latency(what, UNIT, h.getTotalCount(), us(h.getValueAtPercentile(50)),
                    us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)),
                    us(h.getMaxValue()), Math.round(h.getMean() / 100.0) / 10.0);
        }

        private static double us(long nanos) {
            return Math.round(nanos / 100.0) / 10.0;
        }
    }
}

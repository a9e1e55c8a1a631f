package io.pxj.demo.load;

import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.tls.TlsConfig;
import org.HdrHistogram.Recorder;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state one load run shares between its connections (pool threads) and the main thread: settings (final),
 * HdrHistogram {@link Recorder}s (wait-free, many writers) and {@link LongAdder} counters. Connections never
 * block each other; the main thread reads interval histograms once a second.
 */
final class LoadRun {
    static final long MAX_LATENCY = TimeUnit.MINUTES.toNanos(10);

    final LoadTarget.Mode mode;
    final LoadTarget target;
    final InetSocketAddress address;
    final int connections;
    final int pipeline;
    final long intervalNanos; // per connection; 0 = closed loop
    final int size;
    final byte[] httpBatch;   // the request repeated 'pipeline' times
    final int httpRequestLength;
    /** The connections' options: TLS for an https target, else the defaults. */
    final ProtocolOptions options;

    final Recorder latency = new Recorder(MAX_LATENCY, 3);
    final Recorder service = new Recorder(MAX_LATENCY, 3);
    final LongAdder responses = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder[] statusClasses = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder(), new LongAdder()};
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger everConnected = new AtomicInteger();
    final AtomicInteger connectFailures = new AtomicInteger();
    /** Connections that ended (closed or failed to connect) and should be replaced by the main thread. */
    final AtomicInteger toReopen = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorSamples = new AtomicInteger();
    volatile boolean stopping;

    LoadRun(LoadTarget.Mode mode, LoadTarget target, InetSocketAddress address, int connections, int pipeline,
            long intervalNanos, int size) {
        this(mode, target, address, connections, pipeline, intervalNanos, size, null);
    }

    /** With {@code tls} for the connections (null: plaintext). */
    LoadRun(LoadTarget.Mode mode, LoadTarget target, InetSocketAddress address, int connections, int pipeline,
            long intervalNanos, int size, TlsConfig tls) {
        this.options = tls == null ? ProtocolOptions.DEFAULT : ProtocolOptions.builder().tls(tls).build();
        this.mode = mode;
        this.target = target;
        this.address = address;
        this.connections = connections;
        this.pipeline = pipeline;
        this.intervalNanos = intervalNanos;
        this.size = size;
        if (mode == LoadTarget.Mode.HTTP) {
            byte[] one = target.httpRequest();
            httpRequestLength = one.length;
            httpBatch = new byte[one.length * pipeline];
            for (int i = 0; i < pipeline; i++) { System.arraycopy(one, 0, httpBatch, i * one.length, one.length); }
        } else {
            httpRequestLength = 0;
            httpBatch = null;
        }
    }

    /** Records one response (called by connections; lock-free). */
    void recorded(long latencyNanos, long serviceNanos, int status) {
        if (stopping) { return; }
        responses.increment();
        latency.recordValue(Math.min(latencyNanos, MAX_LATENCY));
        if (intervalNanos > 0) { service.recordValue(Math.min(serviceNanos, MAX_LATENCY)); }
        int c = status / 100;
        statusClasses[c >= 1 && c <= 5 ? c : 0].increment();
    }

    /** Counts an error and keeps the first few messages for the summary. */
    void error(String message) {
        if (stopping) { return; }
        errors.increment();
        if (errorSamples.getAndIncrement() < 5) { firstErrors.add(message); }
    }

    /** The end of a warm-up: counters back to zero (an update racing this lands on either side of the line). */
    void resetCounters() {
        responses.reset();
        errors.reset();
        bytesSent.reset();
        bytesReceived.reset();
        for (LongAdder a : statusClasses) { a.reset(); }
        firstErrors.clear();
        errorSamples.set(0);
    }

    List<String> firstErrors() {
        return new ArrayList<>(firstErrors);
    }

    long non2xx() {
        long n = 0;
        for (int i = 0; i < statusClasses.length; i++) { if (i != 2) { n += statusClasses[i].sum(); } }
        return n;
    }
}

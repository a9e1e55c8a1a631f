package io.pxj.demo.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pxj.http.HttpRequest;
import io.pxj.http.HttpResponse;
import io.pxj.http.HttpServer;
import io.pxj.http.HttpServerStats;
import io.pxj.http.RequestListener;
import io.pxj.runtime.PxStats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics} in the Prometheus text exposition format, written by the Prometheus Java client: the
 * {@code px.stats()} counters, the HTTP server's counters by status class, histograms of time in server and of
 * handler time, direct memory and readiness. The runtime does not depend on the client; this class is the demo's
 * wiring.
 *
 * <p>Threading: thread-safe. {@link #requestCompleted} and {@link #responseSent} are called concurrently on pool
 * threads (one histogram observation each, without exemplar sampling: the demo has no traces to link, and the
 * sampler would cost an atomic operation and a clock read per observation); {@link #scrape} reads every counter
 * at call time on the caller's thread.
 */
public final class PrometheusMetrics implements RequestListener {
    /** The exposition format's content type (text format 0.0.4). */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** Latency bucket bounds in seconds: 50 µs to 5 s, roughly ×2.5 apart. */
    static final double[] LATENCY_BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram latency;
    private final Histogram handler;
    private volatile HttpServer server;

    public PrometheusMetrics(Supplier<PxStats> pxStats) {
        counter("pxj_connections", "Connections ever opened (server and client).", pxStats, PxStats::connectionsTotal);
        counter("pxj_connections_refused", "Connections refused by a limit.", pxStats, PxStats::connectionsRefused);
        counter("pxj_received_bytes", "Bytes received, all connections.", pxStats, PxStats::bytesIn);
        counter("pxj_sent_bytes", "Bytes sent, all connections.", pxStats, PxStats::bytesOut);
        counter("pxj_callbacks", "Parallel callbacks run.", pxStats, PxStats::callbacksRun);
        counter("pxj_errors", "Exceptions caught from callbacks and I/O.", pxStats, PxStats::errors);
        counter("pxj_work_submitted", "submitWork calls.", pxStats, PxStats::workSubmitted);
        counter("pxj_work_completed", "submitWork functions finished.", pxStats, PxStats::workCompleted);
        counter("pxj_contexts_created", "Parallel contexts ever created.", pxStats, PxStats::contextsCreated);
        counter("pxj_contexts_recycled", "Times a context was reused.", pxStats, PxStats::contextsRecycled);
        gauge("pxj_threads", "Pool / event-loop threads alive.", pxStats, PxStats::threads);
        gauge("pxj_contexts_active", "Contexts in use.", pxStats, PxStats::contextsActive);
        gauge("pxj_connections_active", "Open connections.", pxStats, PxStats::connectionsActive);
        gauge("pxj_arena_in_use_bytes", "Arena bytes handed out and not rolled back.", pxStats,
                PxStats::arenaBytesInUse);
        gauge("pxj_arena_reserved_bytes", "Direct memory held by arenas.", pxStats, PxStats::arenaBytesReserved);
        gauge("pxj_direct_in_use_bytes", "Direct memory PxJ holds for work (compared with the soft limit).", pxStats,
                PxStats::directBytesInUse);
        gauge("pxj_memory_soft_limit_bytes", "The memory soft limit.", pxStats, PxStats::memorySoftLimit);
        gauge("pxj_arena_high_water_bytes", "Highest arena bytes in use seen.", pxStats,
                PxStats::arenaBytesHighWater);
        gauge("pxj_timers_active", "Timers not cancelled.", pxStats, PxStats::timersActive);
        gauge("pxj_main_queue_depth", "Main-thread calls waiting to run.", pxStats, PxStats::mainQueueDepth);
        GaugeWithCallback.builder().name("pxj_backend_value")
                .help("Backend-specific counters of px.stats(), by name.").labelNames("backend", "name")
                .callback(cb -> {
                    PxStats s = pxStats.get();
                    for (Map.Entry<String, Long> e : s.backendCounters().entrySet()) {
                        cb.call(e.getValue(), s.backend(), e.getKey());
                    }
                }).register(registry);

        httpCounter("pxj_http_requests", "Complete requests dispatched.", HttpServerStats::requests);
        CounterWithCallback.builder().name("pxj_http_responses").help("HTTP responses by status class.")
                .labelNames("code").callback(cb -> {
                    HttpServer s = server;
                    if (s == null) {
                        return;
                    }
                    for (int c = 1; c <= 5; c++) {
                        cb.call(s.stats().responses(c), c + "xx");
                    }
                }).register(registry);
        httpCounter("pxj_http_rejected_connections", "Connections answered 503 (limit or memory pressure).",
                HttpServerStats::rejectedConnections);
        httpCounter("pxj_http_request_timeouts", "Requests answered 408.", HttpServerStats::requestTimeouts);
        httpCounter("pxj_http_handler_errors", "Handler exceptions answered 500.", HttpServerStats::handlerErrors);
        GaugeWithCallback.builder().name("pxj_http_connections_active").help("HTTP connections open.")
                .callback(cb -> {
                    HttpServer s = server;
                    if (s != null) {
                        cb.call(s.stats().activeConnections());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("pxj_http_ready").help("1 when /readyz answers 200, else 0.")
                .callback(cb -> {
                    HttpServer s = server;
                    if (s != null) {
                        cb.call(s.notReadyReason() == null ? 1 : 0);
                    }
                }).register(registry);
        latency = Histogram.builder().name("pxj_http_request_duration_seconds")
                .help("Time in server: from the read that brought a request's head to the send of its last byte.")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).withoutExemplars().register(registry);
        handler = Histogram.builder().name("pxj_http_handler_duration_seconds")
                .help("Handler time: from the parsed request head to the encoded response.")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).withoutExemplars().register(registry);

        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        GaugeWithCallback.builder().name("pxj_jvm_buffer_pool_used_bytes")
                .help("JVM buffer pools (direct, mapped): bytes in use, arenas and receive buffers included.")
                .labelNames("pool").callback(cb -> {
                    for (BufferPoolMXBean p : pools) {
                        cb.call(p.getMemoryUsed(), p.getName());
                    }
                }).register(registry);
    }

    /** Supplies the HTTP counters; call once the server is built. */
    public PrometheusMetrics bind(HttpServer httpServer) {
        this.server = httpServer;
        return this;
    }

    @Override
    public void requestCompleted(HttpRequest request, int status, long nanos) {
        handler.observe(nanos / 1e9);
    }

    @Override
    public void responseSent(int status, long serverNanos) {
        latency.observe(serverNanos / 1e9);
    }

    /** The whole exposition, as text. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The {@code /metrics} handler. */
    public HttpResponse handle(HttpRequest req, HttpResponse res) {
        return res.contentType(CONTENT_TYPE).header("Cache-Control", "no-store").body(scrape());
    }

    private void counter(String name, String help, Supplier<PxStats> stats, ToDoubleFunction<PxStats> value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.applyAsDouble(stats.get()))).register(registry);
    }

    private void gauge(String name, String help, Supplier<PxStats> stats, ToDoubleFunction<PxStats> value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.applyAsDouble(stats.get()))).register(registry);
    }

    private void httpCounter(String name, String help, Function<HttpServerStats, Long> value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> {
            HttpServer s = server;
            if (s != null) {
                cb.call(value.apply(s.stats()));
            }
        }).register(registry);
    }
}

package io.pxj.http;

import io.pxj.runtime.spi.support.Counters;
import io.pxj.runtime.spi.support.StripedCounter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live counters of an {@link HttpServer}. Per-connection events are counted in a {@link Counters} table (no
 * contention between connections, no allocation once warmed up); the per-request ones are {@link StripedCounter}s
 * (a plain add on an event-loop thread, no CAS). Threading: thread-safe; reads are not an atomic snapshot.
 */
public final class HttpServerStats {
    final StripedCounter requests = new StripedCounter();
    final StripedCounter[] byClass = {new StripedCounter(), new StripedCounter(), new StripedCounter(),
            new StripedCounter(), new StripedCounter()};
    /** The per-connection events counted, one constant per counter getter below (which says when it counts). */
    enum Counter { CONNECTIONS, REJECTED, REQUEST_TIMEOUTS, IDLE_CLOSES, HANDLER_ERRORS }

    private final Counters<Counter> counters = new Counters<>(Counter.class);
    /** Connections open now: a gauge, raised and lowered by {@link HttpProtocol}. */
    final AtomicInteger active = new AtomicInteger();
    volatile Throwable lastHandlerError;

    HttpServerStats() {}

    void count(Counter c) {
        counters.increment(c);
    }

    void response(int status) {
        byClass[status / 100 - 1].increment();
    }

    /** Complete requests dispatched (parsed and routed). */
    public long requests() {
        return requests.sum();
    }

    /** Responses with status {@code statusClass}xx ({@code statusClass} 1..5), including error responses. */
    public long responses(int statusClass) {
        if (statusClass < 1 || statusClass > 5) {
            throw new IllegalArgumentException("statusClass must be 1..5: " + statusClass);
        }
        return byClass[statusClass - 1].sum();
    }

    /** All responses. */
    public long responses() {
        long n = 0;
        for (StripedCounter a : byClass) { n += a.sum(); }
        return n;
    }

    /** Connections accepted so far. */
    public long connections() {
        return counters.sum(Counter.CONNECTIONS);
    }

    /** Connections open now. */
    public int activeConnections() {
        return active.get();
    }

    /** Connections answered 503 (over {@link HttpLimits#maxConnections()} or under memory pressure). */
    public long rejectedConnections() {
        return counters.sum(Counter.REJECTED);
    }

    /** Requests answered 408. */
    public long requestTimeouts() {
        return counters.sum(Counter.REQUEST_TIMEOUTS);
    }

    /** Keep-alive connections closed for idleness. */
    public long idleCloses() {
        return counters.sum(Counter.IDLE_CLOSES);
    }

    /** Handler exceptions answered 500. */
    public long handlerErrors() {
        return counters.sum(Counter.HANDLER_ERRORS);
    }

    /** The most recent handler exception (answered 500), or null; handlers errors are not logged per request. */
    public Throwable lastHandlerError() {
        return lastHandlerError;
    }

    @Override
    public String toString() {
        return "HttpServerStats[requests=" + requests() + ", 1xx=" + responses(1) + ", 2xx=" + responses(2)
                + ", 3xx=" + responses(3) + ", 4xx=" + responses(4) + ", 5xx=" + responses(5)
                + ", connections=" + connections() + ", active=" + activeConnections()
                + ", rejected=" + rejectedConnections() + ", timeouts=" + requestTimeouts()
                + ", idleCloses=" + idleCloses() + ", handlerErrors=" + handlerErrors() + "]";
    }
}

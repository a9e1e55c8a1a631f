package io.pxj.runtime.spi;

import io.pxj.runtime.Cancellable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Threads and I/O for one runtime instance.
 *
 * <p>Threading: every method is thread-safe unless stated otherwise. Tasks given to the backend must not throw
 * (the core wraps user code); a backend that nevertheless sees an exception logs it and keeps its thread.
 */
public interface Backend {
    String name();

    /** Pool / loop threads alive now. */
    int threadCount();

    /** True if the calling thread is one of this backend's pool / loop threads. */
    boolean inPoolThread();

    MainQueue mainQueue();

    /** Runs {@code task} once on a pool thread. */
    void execute(Runnable task);

    /** Runs {@code task} on a pool thread after {@code delayNanos}, then every {@code periodNanos} (0 = once). */
    Cancellable schedule(Runnable task, long delayNanos, long periodNanos);

    BackendEvent newEvent();

    /**
     * Runs {@code task} once on a pool thread when {@code event} is set, or with {@code timedOut == true} after
     * {@code timeoutNanos} (negative = no timeout).
     */
    Cancellable waitFor(BackendEvent event, long timeoutNanos, WaitTask task);

    /** Binds and listens; each accepted socket gets a handler from {@code acceptor}. */
    Listener listen(InetSocketAddress address, int backlog, boolean ipv6Only, int acceptsPosted, Acceptor acceptor)
            throws IOException;

    /**
     * As {@link #listen(InetSocketAddress, int, boolean, int, Acceptor)}, with a hint that clients send first: a
     * backend that can (Linux's TCP_DEFER_ACCEPT) hands over a connection only once its first bytes have arrived.
     * The default ignores the hint.
     */
    default Listener listen(InetSocketAddress address, int backlog, boolean ipv6Only, int acceptsPosted,
                            boolean deferAccept, Acceptor acceptor) throws IOException {
        return listen(address, backlog, ipv6Only, acceptsPosted, acceptor);
    }

    /** Connects; the handler hears {@code opened} or {@code connectFailed}. */
    void connect(InetSocketAddress remote, ConnectionHandler handler);

    /**
     * Native or direct memory this backend holds for I/O now (per-operation blocks, receive buffers of its own),
     * counted in {@code Px.stats().directBytesInUse()} and the memory soft limit. Thread-safe and cheap.
     */
    default long directBytes() {
        return 0;
    }

    /** Backend-wide counters for {@code Px.stats()}. */
    Map<String, Long> counters();

    /**
     * Stops: closes listeners, closes open channels abortively, waits up to {@code timeout} for running tasks and
     * I/O to drain, then releases threads and native resources. Idempotent.
     *
     * @return true if everything stopped within the timeout
     */
    boolean close(Duration timeout);
}

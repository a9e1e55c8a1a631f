package io.pxj.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A PxJ runtime: a main thread plus a backend's pool threads on which every callback runs in an isolated
 * {@link ParallelContext}.
 *
 * <pre>{@code
 * try (Px px = Px.builder().build()) {
 *     px.server(new InetSocketAddress(7007), EchoProtocol::new);
 *     px.run();                       // until px.shutdown()
 * }
 * }</pre>
 *
 * <h2>Threading contract</h2>
 * The <em>main thread</em> is the thread that built the runtime, or the first to call {@link #run()} /
 * {@link #runOnce(Duration)}. Main-thread-only methods ({@link #run()}, {@link #runOnce}, {@link #publish})
 * throw {@link ProtectionException} elsewhere; the others are thread-safe. Results of submitted work and
 * main-thread calls are delivered while the main thread is inside {@code run}/{@code runOnce}.
 */
public final class Px implements AutoCloseable {

    private Px() {
        throw new UnsupportedOperationException("runtime core not built yet");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The backend in use ("nio" or "windows"). */
    public String backendName() {
        throw new UnsupportedOperationException();
    }

    /** Starts a server on {@code address} (IPv4 or IPv6; port 0 picks a free port) with default options. */
    public Server server(InetSocketAddress address, ProtocolFactory factory) {
        return server(address, factory, ServerOptions.DEFAULT);
    }

    public Server server(InetSocketAddress address, ProtocolFactory factory, ServerOptions options) {
        throw new UnsupportedOperationException();
    }

    /** Connects to {@code remote}; the protocol gets the same callbacks as a server-side one. */
    public Client client(InetSocketAddress remote, Protocol protocol) {
        throw new UnsupportedOperationException();
    }

    /**
     * Runs {@code fn} in a parallel context on a pool thread; then {@code callback} (with the result) or
     * {@code errback} (with the exception) on the main thread. The returned stage completes on the pool thread.
     */
    public <T> CompletionStage<T> submitWork(ParallelFunction<T> fn, Consumer<? super T> callback,
                                             Consumer<? super Throwable> errback) {
        throw new UnsupportedOperationException();
    }

    /** Runs {@code fn} in a parallel context after {@code delay}, then every {@code period} (null/zero: once). */
    public <T> PxTimer<T> submitTimer(Duration delay, Duration period, ParallelFunction<T> fn) {
        throw new UnsupportedOperationException();
    }

    /** Runs {@code fn} in a parallel context when {@code waitable} completes, or with a timeout failure. */
    public <T> Cancel submitWait(CompletionStage<T> waitable, Duration timeout, WaitCallback<? super T> fn) {
        throw new UnsupportedOperationException();
    }

    /** Runs {@code fn} in a parallel context when {@code event} is set, or with a timeout failure. */
    public Cancel submitWait(PxEvent event, Duration timeout, WaitCallback<? super PxEvent> fn) {
        throw new UnsupportedOperationException();
    }

    /** A new manual-reset event for {@link #submitWait(PxEvent, Duration, WaitCallback)}. */
    public PxEvent newEvent() {
        throw new UnsupportedOperationException();
    }

    /** Queues {@code task} to run on the main thread; thread-safe. */
    public void callFromMainThread(Runnable task) {
        throw new UnsupportedOperationException();
    }

    /**
     * From a thread that is not the main thread: runs {@code task} on the main thread and waits for its result.
     *
     * @throws ProtectionException on the main thread
     */
    public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception {
        throw new UnsupportedOperationException();
    }

    /**
     * Main thread only: publishes read-only state to parallel code ({@link ParallelContext#published}). The value
     * must be effectively immutable and not arena-backed.
     */
    public void publish(String name, Object value) {
        throw new UnsupportedOperationException();
    }

    /** Reads published state from any thread; null if absent. */
    public <T> T published(String name, Class<T> type) {
        throw new UnsupportedOperationException();
    }

    /** Counters snapshot; thread-safe. */
    public PxStats stats() {
        throw new UnsupportedOperationException();
    }

    /** True when arena memory is above the soft limit (new connections should be refused politely). */
    public boolean underMemoryPressure() {
        throw new UnsupportedOperationException();
    }

    /** Main thread only: loops {@link #runOnce} until {@link #shutdown()}; then closes servers gracefully. */
    public void run() {
        throw new UnsupportedOperationException();
    }

    /**
     * Main thread only: runs queued main-thread calls and delivers work results; waits up to {@code timeout}
     * if there is nothing to do.
     *
     * @return the number of main-thread tasks run
     */
    public int runOnce(Duration timeout) {
        throw new UnsupportedOperationException();
    }

    /** Asks {@link #run()} to return; thread-safe, idempotent. */
    public void shutdown() {
        throw new UnsupportedOperationException();
    }

    /** {@link #close(Duration)} with the builder's shutdown timeout. */
    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }

    /**
     * Stops servers, closes connections (gracefully, abortively after the timeout), cancels timers and waits,
     * waits for running callbacks, releases the backend. Idempotent; thread-safe.
     *
     * @return true if everything stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        throw new UnsupportedOperationException();
    }

    /** A cancellable submission. */
    @FunctionalInterface
    public interface Cancel {
        /** Idempotent. */
        void cancel();
    }

    /** Runtime settings; every setter validates its argument and names it in the exception. */
    public static final class Builder {
        private Builder() {}

        /** Event loops (nio) / minimum pool threads (windows); default: available processors. */
        public Builder threads(int threads) {
            throw new UnsupportedOperationException();
        }

        /** Maximum pool threads (windows); default 2 x threads. */
        public Builder maxThreads(int maxThreads) {
            throw new UnsupportedOperationException();
        }

        /** Force a backend ("nio", "windows"); default: {@code -Dpxj.backend} or the best available. */
        public Builder backend(String name) {
            throw new UnsupportedOperationException();
        }

        /** Escape checks on arena objects; default {@code -Dpxj.checks} (true). */
        public Builder checks(boolean on) {
            throw new UnsupportedOperationException();
        }

        /** Hard arena limit per context (ArenaExhaustedException beyond); default 64 MiB. */
        public Builder arenaLimitPerContext(long bytes) {
            throw new UnsupportedOperationException();
        }

        /** Total arena bytes above which {@link Px#underMemoryPressure()} is true; default 75% of max heap... */
        public Builder memorySoftLimit(long bytes) {
            throw new UnsupportedOperationException();
        }

        /** How long close() waits for graceful completion; default 10 s. */
        public Builder shutdownTimeout(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        /** AcceptEx operations kept posted per listener (windows); default threads x 4. */
        public Builder acceptsPerListener(int n) {
            throw new UnsupportedOperationException();
        }

        public Px build() {
            throw new UnsupportedOperationException();
        }
    }
}

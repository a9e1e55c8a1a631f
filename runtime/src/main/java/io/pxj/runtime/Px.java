package io.pxj.runtime;

import static io.pxj.runtime.spi.support.Checks.notNegative;
import static io.pxj.runtime.spi.support.Checks.positive;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import io.pxj.runtime.internal.BackendSelector;
import io.pxj.runtime.internal.CoreConfig;
import io.pxj.runtime.spi.support.DirectMemory;
import io.pxj.runtime.internal.PxCore;
import io.pxj.runtime.internal.PxJmx;
import io.pxj.runtime.spi.BackendProvider;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>Precisely: the building thread is the main thread. Only if it has ended without ever calling
 * {@code run}/{@code runOnce} does the first thread to call one of them become the main thread (for good). Pool
 * threads can never become it.
 */
public final class Px implements AutoCloseable {
    static {
        // Lets Protected containers and publish() refuse direct ByteBuffers that view arena or receive memory.
        Persistence.installDirectBufferCheck(PxCore::isContextMemory);
    }

    /** Numbers the default names ("px-1", "px-2"...), so runtimes of one JVM never collide in JMX. */
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private final PxCore core;
    private final String name;
    private final PxJmx jmx;

    private Px(CoreConfig config, BackendProvider provider, String name, boolean jmx) {
        this.core = new PxCore(this, config, provider);
        this.name = name;
        PxJmx registered = null;
        if (jmx) {
            try {
                registered = PxJmx.register(this, name);
            } catch (RuntimeException e) {
                core.close(Duration.ZERO); // the backend already runs: release it before failing the build
                throw e;
            }
        }
        this.jmx = registered;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This runtime's name ({@link Builder#name(String)}; the JMX ObjectName's {@code name} key). */
    public String name() {
        return name;
    }

    /** The backend in use ("nio" or "windows"). */
    public String backendName() {
        return core.backendName();
    }

    /** Starts a server on {@code address} (IPv4 or IPv6; port 0 picks a free port) with default options. */
    public Server server(InetSocketAddress address, ProtocolFactory factory) {
        return server(address, factory, ServerOptions.DEFAULT);
    }

    /**
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public Server server(InetSocketAddress address, ProtocolFactory factory, ServerOptions options) {
        return core.server(address, factory, options);
    }

    /** Connects to {@code remote}; the protocol gets the same callbacks as a server-side one. */
    public Client client(InetSocketAddress remote, Protocol protocol) {
        return core.client(remote, protocol);
    }

    /**
     * Runs {@code fn} in a parallel context on a pool thread; then {@code callback} (with the result) or
     * {@code errback} (with the exception) on the main thread. The returned stage completes on the pool thread.
     * Either consumer may be null; a failure without an errback is reported through SLF4J. A result that is
     * arena memory fails with {@link PersistenceException} (it would die with the context).
     */
    public <T> CompletionStage<T> submitWork(ParallelFunction<T> fn, Consumer<? super T> callback,
                                             Consumer<? super Throwable> errback) {
        return core.scheduler().submitWork(fn, callback, errback);
    }

    /**
     * Runs {@code fn} in a parallel context after {@code delay}, then every {@code period} (null/zero: once).
     * Ticks of one timer never overlap. A tick returning arena memory records a {@link PersistenceException}
     * as {@link PxTimer#lastError()}.
     */
    public <T> PxTimer<T> submitTimer(Duration delay, Duration period, ParallelFunction<T> fn) {
        return core.scheduler().submitTimer(delay, period, fn);
    }

    /**
     * Runs {@code fn} in a parallel context when {@code waitable} completes, or with a timeout failure.
     * {@code timeout} null = none. Runs at most once; cancel prevents it if it has not started.
     */
    public <T> Cancellable submitWait(CompletionStage<T> waitable, Duration timeout, WaitCallback<? super T> fn) {
        return core.scheduler().submitWait(waitable, timeout, fn);
    }

    /** Runs {@code fn} in a parallel context when {@code event} is set, or with a timeout failure. */
    public Cancellable submitWait(PxEvent event, Duration timeout, WaitCallback<? super PxEvent> fn) {
        return core.scheduler().submitWait(event, timeout, fn);
    }

    /** A new manual-reset event for {@link #submitWait(PxEvent, Duration, WaitCallback)}. */
    public PxEvent newEvent() {
        return core.scheduler().newEvent();
    }

    /** Queues {@code task} to run on the main thread; thread-safe. Its exceptions are logged and counted. */
    public void callFromMainThread(Runnable task) {
        core.callFromMainThread(task);
    }

    /**
     * From a thread that is not the main thread: runs {@code task} on the main thread and waits for its result.
     *
     * @throws ProtectionException  on the main thread
     * @throws WaitTimeoutException if the main thread did not run it within {@code timeout} (it then never runs)
     */
    public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception {
        return core.callFromMainThreadAndWait(task, timeout);
    }

    /**
     * Main thread only: publishes read-only state to parallel code ({@link ParallelContext#published}). The value
     * must be effectively immutable and not arena-backed. A null value removes the name.
     */
    public void publish(String name, Object value) {
        Persistence.check(value, "Px.publish(\"" + name + "\")");
        core.publish(name, value);
    }

    /** Reads published state from any thread; null if absent. */
    public <T> T published(String name, Class<T> type) {
        return core.published(name, type);
    }

    /** Counters snapshot; thread-safe. */
    public PxStats stats() {
        return core.stats();
    }

    /**
     * True when the direct memory PxJ holds for work ({@link PxStats#directBytesInUse()}: arenas, receive and
     * staging buffers, the backend's per-operation blocks, counted caches) is above the soft limit: new
     * connections should be refused politely (io.pxj.http answers them 503).
     */
    public boolean underMemoryPressure() {
        return core.underMemoryPressure();
    }

    /**
     * For libraries on top of PxJ that keep direct memory of their own (io.pxj.http's static-file cache):
     * {@code bytes} is read whenever stats or the soft limit are evaluated and counted in
     * {@link PxStats#directBytesInUse()} until the returned handle is cancelled. Thread-safe; {@code bytes} must
     * be cheap and thread-safe.
     */
    public Cancellable countDirectMemory(java.util.function.LongSupplier bytes) {
        return core.countDirect(bytes);
    }

    /** Main thread only: loops {@link #runOnce} until {@link #shutdown()}; then closes servers gracefully. */
    public void run() {
        core.run();
    }

    /**
     * Main thread only: runs queued main-thread calls and delivers work results; waits up to {@code timeout}
     * if there is nothing to do.
     *
     * @return the number of main-thread tasks run
     */
    public int runOnce(Duration timeout) {
        return core.runOnce(timeout);
    }

    /** Asks {@link #run()} to return; thread-safe, idempotent. */
    public void shutdown() {
        core.shutdown();
    }

    /** {@link #close(Duration)} with the builder's shutdown timeout. */
    @Override
    public void close() {
        close(core.shutdownTimeout());
    }

    /**
     * Stops servers, closes connections (gracefully, abortively after half the timeout), cancels timers and
     * waits, waits for running callbacks, releases the backend (joining its threads). Idempotent; thread-safe.
     * Called on a pool thread it cannot wait for itself: the close then continues on a helper thread and this
     * returns false at once.
     *
     * @return true if everything stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        try {
            return core.close(timeout);
        } finally {
            if (jmx != null) {
                jmx.unregister();
            }
        }
    }

    @Override
    public String toString() {
        return "Px[" + backendName() + "]";
    }

    /**
     * Runtime settings; every setter validates its argument and names it in the exception.
     * Threading: not thread-safe; use from one thread. {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private int maxThreads = -1; // -1: 2 x threads
        private String backend;
        private boolean checks = !"false".equalsIgnoreCase(System.getProperty("pxj.checks", "true"));
        private long arenaLimitPerContext = 64L << 20;
        private long memorySoftLimit = (long) (DirectMemory.limit() * 0.75);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private int acceptsPerListener = -1; // -1: threads x 4
        private String name;
        private boolean jmx = true;

        private Builder() {}

        /** Event loops (nio) / minimum pool threads (windows); default: available processors. */
        public Builder threads(int threads) {
            this.threads = positive("threads", threads);
            return this;
        }

        /** Maximum pool threads (windows); default 2 x threads. */
        public Builder maxThreads(int maxThreads) {
            this.maxThreads = positive("maxThreads", maxThreads);
            return this;
        }

        /** Force a backend ("windows", "epoll", "nio"); default: {@code -Dpxj.backend} or the best available. */
        public Builder backend(String name) {
            if (name != null && name.isBlank()) { throw new IllegalArgumentException("backend must not be blank"); }
            this.backend = name;
            return this;
        }

        /** Escape checks on arena objects; default {@code -Dpxj.checks} (true). */
        public Builder checks(boolean on) {
            this.checks = on;
            return this;
        }

        /** Hard arena limit per context (ArenaExhaustedException beyond); default 64 MiB. */
        public Builder arenaLimitPerContext(long bytes) {
            this.arenaLimitPerContext = positive("arenaLimitPerContext", bytes);
            return this;
        }

        /**
         * Direct memory in use ({@link PxStats#directBytesInUse()}) above which {@link Px#underMemoryPressure()}
         * is true; default 75% of the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, which defaults to
         * the maximum heap), so new connections are refused or answered 503 before a buffer cannot be had.
         */
        public Builder memorySoftLimit(long bytes) {
            this.memorySoftLimit = positive("memorySoftLimit", bytes);
            return this;
        }

        /** How long close() waits for graceful completion; default 10 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = notNegative("shutdownTimeout", timeout);
            return this;
        }

        /** AcceptEx operations kept posted per listener (windows); default threads x 4. */
        public Builder acceptsPerListener(int n) {
            this.acceptsPerListener = positive("acceptsPerListener", n);
            return this;
        }

        /**
         * The runtime's name, the {@code name} key of its JMX ObjectName {@code io.pxj:type=Px,name=<name>};
         * default {@code px-1}, {@code px-2}... in build order. Letters, digits and {@code . _ -} only.
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "name must be 1..64 letters, digits, '.', '_' or '-': '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Registers a {@link PxMXBean} as {@code io.pxj:type=Px,name=<name>} in the platform MBeanServer while
         * the runtime is open; default true. Building a second open runtime with the same name then fails.
         */
        public Builder jmx(boolean on) {
            this.jmx = on;
            return this;
        }

        /**
         * Selects the backend and starts it.
         *
         * @throws IllegalArgumentException if maxThreads &lt; threads
         * @throws PxException if the requested backend is unknown or unavailable (naming it and why)
         * @throws IllegalStateException if JMX is on and an open runtime already has this name
         */
        public Px build() {
            int max = maxThreads == -1 ? threads * 2 : maxThreads;
            if (max < threads) {
                throw new IllegalArgumentException("maxThreads (" + max + ") must be >= threads (" + threads + ")");
            }
            int accepts = acceptsPerListener == -1 ? threads * 4 : acceptsPerListener;
            BackendProvider provider = BackendSelector.select(backend,
                    BackendSelector.discover(Px.class.getClassLoader()));
            return new Px(new CoreConfig(threads, max, backend, checks, arenaLimitPerContext, memorySoftLimit,
                    shutdownTimeout, accepts), provider,
                    name != null ? name : "px-" + UNNAMED.incrementAndGet(), jmx);
        }
    }
}

package io.pxj.runtime.internal;

import io.pxj.runtime.ArenaBacked;
import io.pxj.runtime.Cancellable;
import io.pxj.runtime.Client;
import io.pxj.runtime.PersistenceException;
import io.pxj.runtime.ProtectionException;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolFactory;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Px;
import io.pxj.runtime.PxException;
import io.pxj.runtime.PxStats;
import io.pxj.runtime.Server;
import io.pxj.runtime.ServerOptions;
import io.pxj.runtime.WaitTimeoutException;
import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendProvider;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.Listener;
import io.pxj.runtime.spi.MainQueue;
import io.pxj.runtime.spi.support.MemberTable;
import io.pxj.runtime.spi.support.StripedCounter;
import io.pxj.runtime.tls.TlsConfig;
import io.pxj.runtime.tls.TlsLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime core behind {@link Px}: contexts, the main thread and its loop, shared state, servers and clients,
 * counters. Work, timers and waits are scheduled by {@link Scheduler}, closing is {@link CoreShutdown}. Backends
 * only run tasks and do I/O; everything observable by user code is decided in the core so every backend
 * behaves the same.
 *
 * <h2>Threading contract</h2>
 * Public methods are thread-safe unless they say "main thread only". The main thread is the thread that built
 * the runtime. If that thread ends without ever calling {@link #run()} or {@link #runOnce}, the first thread to
 * call one of them becomes the main thread for good. Counters are {@link LongAdder}s (updated on pool threads
 * without contention), {@link StripedCounter}s for the per-event ones (no CAS on an event-loop thread), or atomics
 * touched on cold paths only.
 */
public final class PxCore implements ContextHost {
    static final Logger LOG = LoggerFactory.getLogger("io.pxj.runtime");
    /** Beyond this many queued main-thread tasks, error reports are logged where they happen instead. */
    private static final int MAX_QUEUED_REPORTS = 10_000;

    private final Px px;
    private final CoreConfig config;
    final Backend backend;
    private final MainQueue mainQueue;
    final ArenaPool arenas;
    final BufferPool buffers;
    final Spares spares;
    final AddressRegistry registry = AddressRegistry.GLOBAL;
    private final MpmcArrayQueue<ContextImpl> freeContexts = new MpmcArrayQueue<>(4096);
    private final AtomicLong nextContextId = new AtomicLong();
    private final ConcurrentHashMap<String, Object> published = new ConcurrentHashMap<>();

    /** The open connections (each keeps its position: no node or boxed key per connection). */
    final MemberTable<Connection> connections = new MemberTable<>();
    final List<ServerImpl> servers = new CopyOnWriteArrayList<>();

    private volatile Thread mainThread;
    private volatile boolean mainClaimed;
    volatile boolean shutdownRequested;
    final Scheduler scheduler;
    private final CoreShutdown shutdown;

    // ---- counters (PxStats)
    final LongAdder contextsActive = new LongAdder();
    final LongAdder contextsCreated = new LongAdder();
    final LongAdder contextsRecycled = new LongAdder();
    final LongAdder connectionsActive = new LongAdder();
    final LongAdder connectionsTotal = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final StripedCounter bytesIn = new StripedCounter();
    final StripedCounter bytesOut = new StripedCounter();
    final StripedCounter callbacksRun = new StripedCounter();
    final LongAdder errors = new LongAdder();
    /** Direct memory kept by layers above the core (io.pxj.http's static-file cache), see {@link #countDirect}. */
    private final List<LongSupplier> directSources = new CopyOnWriteArrayList<>();
    private final AtomicLong lastMemoryWarning = new AtomicLong();

    public PxCore(Px px, CoreConfig config, BackendProvider provider) {
        this.px = px;
        this.config = config;
        this.mainThread = Thread.currentThread();
        long cached = Math.max(64, Math.min(config.memorySoftLimit() / 4, 256L << 20) / ArenaPool.DEFAULT_CHUNK_SIZE);
        this.arenas = new ArenaPool(ArenaPool.DEFAULT_CHUNK_SIZE, config.arenaLimitPerContext(),
                config.checks(), (int) Math.min(cached, 1 << 16), registry);
        this.buffers = new BufferPool(1024, registry);
        this.spares = new Spares(buffers);
        this.backend = provider.create(new BackendConfig(config.threads(), config.maxThreads(),
                config.acceptsPerListener(), "pxj-" + provider.name() + "-"));
        this.mainQueue = backend.mainQueue();
        this.scheduler = new Scheduler(this, backend);
        this.shutdown = new CoreShutdown(this);
    }

    /** The direct-buffer predicate for {@code Persistence.installDirectBufferCheck}. */
    public static boolean isContextMemory(ByteBuffer b) {
        return AddressRegistry.GLOBAL.contains(b);
    }

    @Override
    public Px px() {
        return px;
    }

    public Backend backend() {
        return backend;
    }

    public String backendName() {
        return backend.name();
    }

    boolean checks() {
        return config.checks();
    }

    // ================================================================== contexts

    ContextImpl borrowContext() {
        ContextImpl c = freeContexts.poll();
        if (c == null) {
            c = new ContextImpl(nextContextId.incrementAndGet(), this, arenas);
            contextsCreated.increment();
        } else {
            contextsRecycled.increment();
        }
        contextsActive.increment();
        return c;
    }

    void releaseContext(ContextImpl c) {
        c.releaseAll();
        contextsActive.decrement();
        freeContexts.offer(c); // full: let it go, it holds no memory after releaseAll
    }

    // ================================================================== main thread

    @Override
    public boolean isMainThread(Thread t) {
        return t == mainThread;
    }

    private void claimMain(String method) {
        Thread t = Thread.currentThread();
        if (backend.inPoolThread()) {
            throw new ProtectionException("Px." + method + " called from parallel code on " + t.getName()
                    + ": it is main-thread only");
        }
        if (!mainClaimed) {
            synchronized (this) {
                // The builder stays the main thread while it lives: a deterministic rule (no race between the
                // builder's first run() and another thread's runOnce). Only if it ended without ever running
                // the loop may another thread take over.
                if (!mainClaimed && (t == mainThread || !mainThread.isAlive())) {
                    mainThread = t;
                    mainClaimed = true;
                }
            }
        }
        if (t != mainThread) {
            throw new ProtectionException("Px." + method + " called on " + t.getName() + ", but the main thread is "
                    + mainThread.getName() + ": it is main-thread only");
        }
    }

    private void requireMain(String method) {
        Thread t = Thread.currentThread();
        if (backend.inPoolThread() || t != mainThread) {
            throw new ProtectionException("Px." + method + " called on " + t.getName() + ", but it is main-thread"
                    + " only (main thread: " + mainThread.getName() + ")");
        }
    }

    /**
     * Loops runOnce until shutdown(); then closes the servers gracefully and keeps serving the main queue until
     * each one's {@code serverStopped} has been delivered (aborting their remaining connections after half the
     * shutdown timeout), so a program's servers are really gone when run() returns.
     */
    public void run() {
        claimMain("run");
        while (!shutdownRequested) { runOnce(Duration.ofMillis(500)); }
        List<ServerImpl> closing = new java.util.ArrayList<>(servers);
        for (ServerImpl s : closing) { s.close(); }
        java.util.function.BooleanSupplier delivered = () -> {
            for (ServerImpl s : closing) { if (!s.stoppedDelivered) { return false; } }
            return true;
        };
        long t = config.shutdownTimeout().toNanos();
        long start = System.nanoTime();
        if (!waitUntil(delivered, start + t / 2)) {
            for (Connection c : connections) { if (closing.contains(c.server)) { c.abort(); } }
            waitUntil(delivered, start + t);
        }
        drainQuietly(); // deliver what the closing servers queued for the main thread
    }

    public int runOnce(Duration timeout) {
        claimMain("runOnce");
        long nanos = timeout == null ? 0 : Math.max(0, timeout.toNanos());
        int ran = 0;
        for (;;) {
            try {
                ran += mainQueue.drain(ran == 0 ? nanos : 0);
                return ran;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ran;
            } catch (Throwable t) {
                // Tasks are wrapped; this is a last line of defence so one bad task cannot stop run().
                ran++;
                errors.increment();
                LOG.error("main-thread task failed", t);
            }
        }
    }

    public void shutdown() {
        shutdownRequested = true;
        mainQueue.post(() -> {}); // wake run()
    }

    @Override
    public void callFromMainThread(Runnable task) {
        Objects.requireNonNull(task, "task");
        mainQueue.post(() -> runOnMain("callFromMainThread task", task));
    }

    void runOnMain(String what, Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            errors.increment();
            LOG.error("{} failed on the main thread", what, t);
        }
    }

    @Override
    public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(timeout, "timeout");
        if (isMainThread(Thread.currentThread())) {
            throw new ProtectionException("callFromMainThreadAndWait called on the main thread: it would wait for"
                    + " itself; call the task directly");
        }
        FutureTask<T> f = new FutureTask<>(task);
        mainQueue.post(f);
        try {
            return f.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(false); // if the main thread gets to it later, it will not run
            throw new WaitTimeoutException("the main thread did not run the call within " + timeout
                    + " (is it inside Px.run()/runOnce()?)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) { throw ex; }
            if (c instanceof Error err) { throw err; }
            throw e;
        }
    }

    /** Reports an error on the main thread through SLF4J (or here, if the main queue is flooded). */
    void report(String message, Throwable t) {
        if (mainQueue.size() > MAX_QUEUED_REPORTS || shutdown.done()) {
            LOG.warn(message, t);
            return;
        }
        mainQueue.post(() -> LOG.warn(message, t));
    }

    void postMain(Runnable r) {
        mainQueue.post(r);
    }

    // ================================================================== shared state

    public void publish(String name, Object value) {
        requireMain("publish");
        Objects.requireNonNull(name, "name");
        if (value == null) {
            published.remove(name);
            return;
        }
        published.put(name, value); // checked by Px before (Persistence is package-private to the API)
    }

    @Override
    public <T> T published(String name, Class<T> type) {
        Objects.requireNonNull(name, "name");
        Object v = published.get(name);
        return v == null ? null : type.cast(v);
    }

    /** Results that cross to the main thread or are kept by a timer must not be arena memory. */
    void checkNotParallel(Object v, String where) {
        if (v instanceof ArenaBacked a) {
            throw new PersistenceException(where + " returned " + v.getClass().getSimpleName() + " of context"
                    + " generation " + a.generation() + ", arena-backed (parallel) memory that dies with its callback."
                    + " Don't persist parallel objects: return a copy, e.g. buffer.toByteArray() or"
                    + " buffer.toString(UTF_8).");
        }
        if (v instanceof ByteBuffer b && b.isDirect() && registry.contains(b)) {
            throw new PersistenceException(where + " returned a direct ByteBuffer viewing a parallel context's arena"
                    + " or receive buffer, which is reused after the callback. Don't persist parallel objects: copy"
                    + " the bytes into a byte[] or heap ByteBuffer first.");
        }
    }

    // ================================================================== work, timers, waits (Scheduler)

    /** Throws if the runtime is closing: nothing new may be scheduled or opened. */
    void ensureOpen() {
        if (shutdown.closing()) {
            throw new PxException("this Px runtime is closed");
        }
    }

    /** Work, timers and waits; {@link io.pxj.runtime.Px} hands its scheduling calls straight to it. */
    public Scheduler scheduler() {
        return scheduler;
    }

    // ================================================================== servers and clients

    public Server server(InetSocketAddress address, ProtocolFactory factory, ServerOptions options) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        ServerImpl s = new ServerImpl(this, factory, options);
        Listener l;
        try {
            l = backend.listen(address, options.backlog(), options.ipv6Only(),
                    options.acceptsPosted() > 0 ? options.acceptsPosted() : config.acceptsPerListener(),
                    options.deferAccept(), s::accept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        s.listener(l);
        servers.add(s);
        postMain(() -> runOnMain("ProtocolFactory.serverStarted", () -> factory.serverStarted(s)));
        return s;
    }

    void serverStopped(ServerImpl s) {
        servers.remove(s);
        postMain(() -> {
            runOnMain("ProtocolFactory.serverStopped", () -> s.factory.serverStopped(s));
            s.stoppedDelivered = true;
        });
    }

    private final TlsLayer.Memory tlsMemory = new TlsLayer.Memory() {
        @Override
        public ByteBuffer acquire(int size) {
            return buffers.acquire(size);
        }

        @Override
        public void release(ByteBuffer buffer) {
            buffers.release(buffer);
        }
    };

    public Client client(InetSocketAddress remote, Protocol protocol) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(protocol, "protocol");
        ensureOpen();
        ClientImpl c = new ClientImpl();
        Connection conn = new Connection(this, protocol, Connection.optionsOf(protocol), null, c, remote);
        c.connection = conn;
        backend.connect(remote, withTls(conn, conn.opts, remote));
        return c;
    }

    /**
     * The handler a backend gets for {@code conn}: the connection itself, or with {@link ProtocolOptions#tls()} a
     * {@link TlsLayer} in front of it that takes its buffers from this runtime's pool.
     */
    ConnectionHandler withTls(Connection conn, ProtocolOptions o, InetSocketAddress connectTo) {
        TlsConfig tls = o.tls();
        return tls == null ? conn : TlsLayer.wrap(conn, tls, tlsMemory, connectTo);
    }

    void connectionOpened(Connection c) {
        connections.add(c);
        connectionsActive.increment();
        connectionsTotal.increment();
    }

    void connectionClosed(Connection c) {
        if (connections.remove(c)) { connectionsActive.decrement(); }
        ServerImpl s = c.server;
        if (s != null) { s.connectionClosed(); }
    }

    // ================================================================== stats

    public PxStats stats() {
        Map<String, Long> bc;
        try {
            bc = Map.copyOf(backend.counters());
        } catch (RuntimeException e) {
            bc = Map.of();
        }
        return new PxStats(backend.name(), backend.threadCount(), contextsActive.sum(), contextsCreated.sum(),
                contextsRecycled.sum(), arenas.bytesInUse(), arenas.bytesReserved(), arenas.highWater(),
                connectionsActive.sum(), connectionsTotal.sum(), connectionsRefused.sum(), bytesIn.sum(),
                bytesOut.sum(), callbacksRun.sum(), errors.sum(), scheduler.workSubmitted.sum(),
                scheduler.workCompleted.sum(), scheduler.timersActive.sum(), mainQueue.size(), directBytesInUse(),
                directBytesReserved(), config.memorySoftLimit(), bc);
    }

    public boolean underMemoryPressure() {
        return directBytesInUse() > config.memorySoftLimit();
    }

    /**
     * Direct memory PxJ holds for work now: arena chunks in contexts, receive and staging buffers lent to
     * connections, the backend's per-operation blocks and what {@link #countDirect} added. Buffers cached in the
     * pools for reuse are not in use (they show in {@link #directBytesReserved()}).
     */
    long directBytesInUse() {
        return arenas.bytesHeld() + buffers.bytesLent() + backend.directBytes() + external();
    }

    /** All direct memory PxJ has created and not dropped: in use plus the pools' cached chunks and buffers. */
    long directBytesReserved() {
        return arenas.bytesReserved() + buffers.bytesReserved() + backend.directBytes() + external();
    }

    private long external() {
        long n = 0;
        for (LongSupplier s : directSources) {
            try {
                n += Math.max(0, s.getAsLong());
            } catch (RuntimeException e) {
                LOG.debug("a direct-memory source failed", e);
            }
        }
        return n;
    }

    /** Counts {@code bytes} (read on each stats call) as direct memory PxJ holds until the result is cancelled. */
    public Cancellable countDirect(LongSupplier bytes) {
        Objects.requireNonNull(bytes, "bytes");
        directSources.add(bytes);
        return () -> directSources.remove(bytes);
    }

    /**
     * A connection could not get direct memory (the JVM's limit, -XX:MaxDirectMemorySize, is reached): it is
     * closed and counted as refused; a warning at most once a second says why, without a stack trace.
     */
    void memoryRefused(String what, OutOfMemoryError e) {
        connectionsRefused.increment();
        long now = System.nanoTime();
        long last = lastMemoryWarning.get();
        if (now - last >= 1_000_000_000L && lastMemoryWarning.compareAndSet(last, now)) {
            LOG.warn("{}: direct memory exhausted ({}); in use {} of memorySoftLimit {} bytes", what, e.getMessage(),
                    directBytesInUse(), config.memorySoftLimit());
        }
    }

    // ================================================================== close

    public Duration shutdownTimeout() {
        return config.shutdownTimeout();
    }

    /**
     * Idempotent close. The first caller does the work; later callers wait for its result (up to their own
     * timeout). From a pool thread the close runs on a helper thread and this returns false at once.
     */
    public boolean close(Duration timeout) {
        return shutdown.close(timeout);
    }

    boolean waitUntil(java.util.function.BooleanSupplier done, long deadline) {
        boolean main = isMainThread(Thread.currentThread());
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) { return false; }
            long step = Math.min(left, TimeUnit.MILLISECONDS.toNanos(5));
            if (main) {
                // Keep serving the main queue: parallel code may be in callFromMainThreadAndWait.
                try {
                    mainQueue.drain(step);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (Throwable t) {
                    LOG.error("main-thread task failed during close", t);
                }
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(step);
            }
        }
        return true;
    }

    void drainQuietly() {
        for (int i = 0; i < 1000 && mainQueue.size() > 0; i++) {
            try {
                mainQueue.drain(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.error("main-thread task failed during close", t);
            }
        }
    }

    public boolean isClosed() {
        return shutdown.closing();
    }
}

package io.pxj.runtime.windows;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendEvent;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.Listener;
import io.pxj.runtime.spi.MainQueue;
import io.pxj.runtime.spi.WaitTask;
import io.pxj.win32.CompletionPort;
import io.pxj.win32.ErrorCodes;
import io.pxj.win32.PoolWork;
import io.pxj.win32.ThreadPool;
import io.pxj.win32.WindowsApi;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IOCP + Vista thread-pool backend. Uses only the {@code io.pxj.win32} facade interfaces (given as a
 * {@link WindowsApi}), so it runs against Mockito mocks on any OS.
 *
 * <h2>Resources</h2>
 * One {@link ThreadPool} (min/max threads from {@link BackendConfig}) whose cleanup group owns every pool object
 * created here (PoolIo per socket, timers, waits, the overflow work); one {@link CompletionPort} as the
 * {@link MainQueue}; an {@link OpRegistry} mapping OVERLAPPED addresses to operations.
 *
 * <h2>Threading contract</h2>
 * All public methods are thread-safe. Every pool callback entering this backend (I/O completions, submitted
 * tasks, timers, waits) goes through {@link #enterCallback()}, which marks the thread for {@link #inPoolThread()}
 * and catches everything: nothing is thrown into the thread pool. {@link #close(Duration)} must not be called
 * from a pool thread of this backend (it would wait for its own callback); if it is, the close runs on a helper
 * thread and the call returns false.
 *
 * <p>It stays one class (about 650 lines): the pool, the completion port, the listeners' and connections'
 * registries, timers, waits and close all hang on the same callback gate and closing state; per-connection,
 * per-listener, timer and wait work already lives in WindowsChannel, WindowsListener, ScheduledTimer and EventWait.
 */
public final class WindowsBackend implements Backend {
    static final Logger LOG = LoggerFactory.getLogger("io.pxj.runtime.windows");

    /** Client sockets kept for reuse per address family. */
    static final int CLIENT_POOL_MAX = 256;
    /**
     * DisconnectEx operations allowed in flight; beyond it sockets are closed instead of recycled, so a peer that
     * never completes its side of the close cannot make sockets pile up.
     */
    static final int MAX_DISCONNECTS_PENDING = 1024;
    /**
     * After a shutdown timed out and every socket's operations were cancelled: how long to wait for the aborted
     * completions before leaking what is still outstanding.
     */
    static final long ABORT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final ThreadLocal<WindowsBackend> CURRENT = new ThreadLocal<>();
    /**
     * Per pool thread: [0] System.nanoTime() when the outermost callback of this backend began, [1] 1 once
     * CallbackMayRunLong was requested for it.
     */
    private static final ThreadLocal<long[]> CALLBACK_CLOCK = ThreadLocal.withInitial(() -> new long[2]);
    /**
     * A callback that has run protocol code this long is reported with CallbackMayRunLong: I/O callbacks run in
     * the normal (not long-running) environment because almost all of them are short, and the pool keeps only
     * about one short callback per processor running; a long one would otherwise hold queued callbacks back.
     */
    static final long LONG_CALLBACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Op memory still owned by the kernel when a close timed out: kept reachable forever rather than freed. */
    private static final List<IoOp> ABANDONED = new ArrayList<>();

    final WindowsApi api;
    final Winsock winsock;
    final ThreadPool pool;
    private final CompletionPort port;
    private final IocpMainQueue mainQueue;
    final OpRegistry registry = new OpRegistry();
    private final PoolWork overflowWork;
    private final ConcurrentLinkedQueue<Runnable> overflow = new ConcurrentLinkedQueue<>();
    private final ClientSocketPool clientPool;
    private final BackendConfig config;

    private final Set<IoSocket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<WindowsChannel> channels = ConcurrentHashMap.newKeySet();
    private final Set<WindowsListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<Object> timersAndWaits = ConcurrentHashMap.newKeySet();
    private final Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Boolean> seen = new ThreadLocal<>();
    private final AtomicLong channelIds = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Boolean> closeResult = new CompletableFuture<>();

    final LongAdder syncCompletions = new LongAdder(), asyncOperations = new LongAdder(),
            syncYields = new LongAdder(), partialSends = new LongAdder(), socketsCreated = new LongAdder(),
            socketsReused = new LongAdder(), clientSocketsReused = new LongAdder(), disconnects = new LongAdder(),
            disconnectFailures = new LongAdder(), aborts = new LongAdder(), tasksOverflowed = new LongAdder(),
            connections = new LongAdder(), socketsSkipOnSuccess = new LongAdder(),
            socketsWithoutSkip = new LongAdder(), socketsClosed = new LongAdder(), socketsLeaked = new LongAdder(),
            closedWithoutReuse = new LongAdder(), shutdownLeakedOps = new LongAdder(), longCallbacks = new LongAdder(),
            filesSentByWsaSend = new LongAdder(), zeroByteReceives = new LongAdder();
    /**
     * TransmitFile is used only on server editions (client editions run two at a time): see {@link #useTransmitFile}.
     */
    private volatile Boolean transmitFile;
    private final AtomicInteger disconnectsPending = new AtomicInteger();
    /** Set when a forced shutdown left operations outstanding and so did not close the thread pool. */
    private volatile boolean poolLeaked;
    /** Exceptions this backend caught from its own pool callbacks (tasks, completion handling), also logged. */
    final LongAdder callbackErrors = new LongAdder();

    /**
     * Creates the pool (with its cleanup group and environments), the main-queue port and the overflow work.
     *
     * @throws UncheckedIOException if Windows refuses one of them (everything created so far is released)
     */
    public WindowsBackend(WindowsApi api, BackendConfig config) {
        this.api = api;
        this.config = config;
        this.winsock = api.winsock();
        ThreadPool p;
        try {
            int threads = poolThreads(config);
            p = api.createThreadPool(threads, threads);
        } catch (WindowsException e) {
            throw new UncheckedIOException("cannot create the thread pool", e);
        }
        this.pool = p;
        CompletionPort cp = null;
        try {
            cp = api.createCompletionPort(1);
            this.overflowWork = p.createWork(this::runOverflow);
        } catch (WindowsException | RuntimeException e) {
            p.close();
            if (cp != null) { cp.close(); }
            throw new UncheckedIOException("cannot create the Windows backend", e instanceof IOException io ? io
                    : new IOException(e));
        }
        this.port = cp;
        this.mainQueue = new IocpMainQueue(cp);
        this.clientPool = new ClientSocketPool(this, CLIENT_POOL_MAX);
    }

    /**
     * The pool's size: minimum == maximum == {@code config.maxThreads()}. Windows retires idle threads above the
     * minimum, and JNA detaches a retiring thread from DllMain(DLL_THREAD_DETACH) under the loader lock, where a
     * pending safepoint can deadlock the JVM (JNA issue #1479); with no room between minimum and maximum no thread
     * is retired while the backend runs, and the pool's close detaches every thread from an ordinary callback
     * before CloseThreadpool ends them. The cost: {@code maxThreads} threads exist for the backend's whole life
     * (idle ones sleep in the kernel).
     */
    static int poolThreads(BackendConfig config) {
        return Math.max(config.threads(), config.maxThreads());
    }

    // ================================================================ callbacks and threads

    /** Marks the current thread as running a callback of this backend; returns the previous mark. */
    WindowsBackend enterCallback() {
        WindowsBackend prev = CURRENT.get();
        CURRENT.set(this);
        if (prev == null) {
            long[] clock = CALLBACK_CLOCK.get();
            clock[0] = System.nanoTime();
            clock[1] = 0;
        }
        if (seen.get() == null) {
            seen.set(Boolean.TRUE);
            poolThreads.add(Thread.currentThread());
        }
        return prev;
    }

    /**
     * Called between the events a callback handles (a connection's drain): once the callback has run for
     * {@link #LONG_CALLBACK_NANOS}, tells the pool (CallbackMayRunLong) so that it dispatches queued callbacks to
     * other threads meanwhile. A single long handler call is only seen when it returns, before the next event.
     */
    void checkLongCallback() {
        long[] clock = CALLBACK_CLOCK.get();
        if (clock[1] == 0 && CURRENT.get() == this && System.nanoTime() - clock[0] > LONG_CALLBACK_NANOS) {
            clock[1] = 1;
            longCallbacks.increment();
            pool.callbackMayRunLong();
        }
    }

    void exitCallback(WindowsBackend prev) {
        if (prev == null) { CURRENT.remove(); }
        else { CURRENT.set(prev); }
    }

    /** PTP_WIN32_IO_CALLBACK of every PoolIo: OVERLAPPED address -> op -> its target. Never throws. */
    void onIoCompletion(long overlapped, int ioResult, long bytes) {
        WindowsBackend prev = enterCallback();
        try {
            IoOp op = registry.get(overlapped);
            if (op == null) {
                registry.unknownCompletions.increment();
                LOG.warn("completion for an unknown OVERLAPPED 0x{} (error {}, {} bytes) ignored",
                        Long.toHexString(overlapped), ioResult, bytes);
                return;
            }
            if (!op.complete(ioResult, bytes, false)) { return; } // stale: its owner is gone, memory now freed
            OpTarget t = op.target;
            if (t != null) { t.opCompleted(op); }
        } catch (Throwable t) {
            callbackErrors.increment();
            LOG.error("I/O completion handling failed", t);
        } finally {
            exitCallback(prev);
        }
    }

    /** Runs {@code task} on the pool: TrySubmitThreadpoolCallback, or the overflow work if Windows refuses. */
    void submitInternal(Runnable task) {
        if (pool.trySubmit(() -> runGuarded(task))) { return; }
        if (pool.isClosed()) {
            LOG.debug("pool closed: task dropped");
            return;
        }
        tasksOverflowed.increment();
        overflow.offer(task);
        try {
            overflowWork.submit(); // SubmitThreadpoolWork cannot fail
        } catch (IllegalStateException e) {
            LOG.debug("overflow work closed: task dropped");
        }
    }

    private void runOverflow() {
        Runnable r = overflow.poll();
        if (r != null) { runGuarded(r); }
    }

    private void runGuarded(Runnable task) {
        WindowsBackend prev = enterCallback();
        try {
            task.run();
        } catch (Throwable t) {
            callbackErrors.increment();
            LOG.error("pool task failed", t);
        } finally {
            exitCallback(prev);
        }
    }

    /**
     * Whether files go out with TransmitFile: only on server editions. Client editions of Windows run at most two
     * TransmitFile operations at a time system-wide and queue the others, so there files are read in chunks and
     * sent with WSASend. Asked once, on first use.
     */
    boolean useTransmitFile() {
        Boolean v = transmitFile;
        if (v == null) {
            v = api.isServerEdition();
            transmitFile = v;
            LOG.debug("files are sent with {}", v ? "TransmitFile (server edition)" : "WSASend (client edition)");
        }
        return v;
    }

    long nextChannelId() {
        return channelIds.incrementAndGet();
    }

    boolean isClosing() {
        return closing.get();
    }

    void socketOpened(IoSocket s) {
        socketsCreated.increment();
        sockets.add(s);
    }

    void socketDestroyed(IoSocket s) {
        sockets.remove(s);
    }

    void channelOpened(WindowsChannel c) {
        connections.increment();
        channels.add(c);
    }

    void channelClosed(WindowsChannel c) {
        channels.remove(c);
    }

    void listenerOpened(WindowsListener l) {
        listeners.add(l);
    }

    void listenerClosed(WindowsListener l) {
        listeners.remove(l);
    }

    void timerClosed(ScheduledTimer t) {
        timersAndWaits.remove(t);
    }

    void waitClosed(EventWait w) {
        timersAndWaits.remove(w);
    }

    // ================================================================ graceful disconnect and reuse

    private final OpTarget disconnected = this::disconnectCompleted;

    /**
     * The end of a gracefully closed connection's socket (nothing outstanding on it): recycled with
     * DisconnectEx(TF_REUSE_SOCKET) if the peer closed first and fewer than {@link #MAX_DISCONNECTS_PENDING} are
     * in flight, else closed. MSDN: after a local close first, DisconnectEx(TF_REUSE_SOCKET) completes only when
     * TIME_WAIT ends (2 x MSL), keeping the socket, its TP_IO and its operation blocks; under "Connection: close"
     * load new sockets would then be created faster than old ones come back.
     */
    void gracefulEnd(IoSocket s, boolean peerClosedFirst) {
        if (peerClosedFirst && disconnectsPending.get() < MAX_DISCONNECTS_PENDING) {
            disconnect(s);
        } else {
            closedWithoutReuse.increment();
            s.destroy(); // closesocket: graceful FIN, TIME_WAIT (if any) stays in the kernel
        }
    }

    /** DisconnectEx(TF_REUSE_SOCKET); on success the socket returns to its home for reuse. Never throws. */
    void disconnect(IoSocket s) {
        IoOp op = s.control;
        op.control = IoOp.Control.DISCONNECT;
        try {
            IoSocket.start(s.io, op, disconnected);
        } catch (RuntimeException e) { // closing socket or pool: nothing started
            op.control = IoOp.Control.NONE;
            LOG.debug("DisconnectEx not started on {}: {}", s, e.toString());
            s.destroy();
            return;
        }
        disconnectsPending.incrementAndGet();
        long r;
        try {
            r = winsock.disconnectEx(s.handle, op.address(), Winsock.TF_REUSE_SOCKET);
        } catch (RuntimeException e) {
            LOG.error("DisconnectEx refused", e);
            r = io.pxj.win32.IoOutcome.failed(ErrorCodes.ERROR_INVALID_PARAMETER);
        }
        int how = s.settle(op, r);
        if (how == IoSocket.SYNC) {
            syncCompletions.increment();
            disconnectCompleted(op);
        } else if (how == IoSocket.ASYNC) {
            asyncOperations.increment();
        } else {
            disconnectsPending.decrementAndGet(); // STALE: the socket was destroyed meanwhile
        }
    }

    private void disconnectCompleted(IoOp op) {
        IoSocket s = op.socket;
        disconnectsPending.decrementAndGet();
        op.control = IoOp.Control.NONE;
        if (op.error == 0 && !isClosing() && !s.isDestroyed()) {
            disconnects.increment();
            s.home.recycle(s);
        } else {
            if (op.error != 0) { disconnectFailures.increment(); }
            s.destroy();
        }
    }

    // ================================================================ Backend

    @Override
    public String name() {
        return WindowsBackendProvider.NAME;
    }

    /**
     * The pool's worker threads: those seen running a callback, and at least the minimum, which
     * SetThreadpoolThreadMinimum starts (and keeps) before any callback ran.
     */
    @Override
    public int threadCount() {
        poolThreads.removeIf(t -> !t.isAlive());
        return Math.min(Math.max(poolThreads.size(), pool.minThreads()),
                Math.max(pool.maxThreads(), poolThreads.size()));
    }

    @Override
    public boolean inPoolThread() {
        return CURRENT.get() == this;
    }

    @Override
    public MainQueue mainQueue() {
        return mainQueue;
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) { throw new NullPointerException("task"); }
        submitInternal(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos, long periodNanos) {
        if (task == null) { throw new NullPointerException("task"); }
        ScheduledTimer t = new ScheduledTimer(this, task, periodNanos > 0);
        timersAndWaits.add(t);
        try {
            t.start(delayNanos, periodNanos);
        } catch (WindowsException e) {
            timersAndWaits.remove(t);
            throw new UncheckedIOException("CreateThreadpoolTimer failed", e);
        }
        return t;
    }

    @Override
    public BackendEvent newEvent() {
        try {
            return new WindowsEvent(api);
        } catch (WindowsException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Cancellable waitFor(BackendEvent event, long timeoutNanos, WaitTask task) {
        if (!(event instanceof WindowsEvent e)) {
            throw new IllegalArgumentException("event must come from this backend's newEvent()");
        }
        EventWait w = new EventWait(this, task);
        timersAndWaits.add(w);
        try {
            w.start(e, timeoutNanos);
        } catch (WindowsException ex) {
            timersAndWaits.remove(w);
            throw new UncheckedIOException("CreateThreadpoolWait failed", ex);
        }
        return w;
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, boolean ipv6Only, int acceptsPosted,
                           Acceptor acceptor) throws IOException {
        if (closing.get()) { throw new IOException("backend closed"); }
        return WindowsListener.open(this, address, backlog, ipv6Only,
                acceptsPosted > 0 ? acceptsPosted : config.acceptsPerListener(), acceptor);
    }

    @Override
    public void connect(InetSocketAddress remote, ConnectionHandler handler) {
        if (closing.get()) {
            submitInternal(() -> handler.connectFailed(new IOException("backend closed")));
            return;
        }
        if (remote.isUnresolved()) {
            submitInternal(() -> handler.connectFailed(new IOException("unresolved address " + remote)));
            return;
        }
        StandardProtocolFamily family = remote.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        IoSocket s;
        try {
            s = clientPool.take(family);
        } catch (WindowsException | RuntimeException e) {
            submitInternal(() -> handler.connectFailed(e));
            return;
        }
        WindowsChannel.connecting(this, s, handler, remote).startConnect();
    }

    /** The native blocks of the live overlapped operations (each socket keeps a receive, a send, a control op). */
    @Override
    public long directBytes() {
        return Math.max(0, registry.nativeBytes.sum());
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("windows.syncCompletions", syncCompletions.sum());
        m.put("windows.asyncOperations", asyncOperations.sum());
        m.put("windows.zeroByteReceives", zeroByteReceives.sum());
        m.put("windows.syncYields", syncYields.sum());
        m.put("windows.partialSends", partialSends.sum());
        m.put("windows.socketsCreated", socketsCreated.sum());
        m.put("windows.socketsLive", (long) sockets.size());
        m.put("windows.socketsSkipOnSuccess", socketsSkipOnSuccess.sum());
        m.put("windows.socketsWithoutSkip", socketsWithoutSkip.sum());
        m.put("windows.socketsReused", socketsReused.sum());
        m.put("windows.clientSocketsReused", clientSocketsReused.sum());
        m.put("windows.clientSocketsPooled", (long) clientPool.size());
        m.put("windows.disconnects", disconnects.sum());
        m.put("windows.disconnectsPending", (long) disconnectsPending.get());
        m.put("windows.socketsClosed", socketsClosed.sum());
        m.put("windows.closedWithoutReuse", closedWithoutReuse.sum());
        m.put("windows.socketsLeaked", socketsLeaked.sum());
        m.put("windows.shutdownLeakedOps", shutdownLeakedOps.sum());
        m.put("windows.shutdownPoolLeaked", poolLeaked ? 1L : 0L);
        m.put("windows.disconnectFailures", disconnectFailures.sum());
        m.put("windows.aborts", aborts.sum());
        m.put("windows.connections", connections.sum());
        m.put("windows.channelsOpen", (long) channels.size());
        m.put("windows.opsAllocated", (long) registry.size());
        m.put("windows.staleCompletions", registry.staleCompletions.sum());
        m.put("windows.unknownCompletions", registry.unknownCompletions.sum());
        m.put("windows.tasksOverflowed", tasksOverflowed.sum());
        m.put("windows.longCallbacks", longCallbacks.sum());
        m.put("windows.filesSentByWsaSend", filesSentByWsaSend.sum());
        m.put("windows.callbackFailures", pool.callbackFailures());
        m.put("windows.callbackErrors", callbackErrors.sum());
        m.put("windows.ioObjectsClosed", pool.ioObjectsClosed());
        long posted = 0;
        for (WindowsListener l : listeners) { posted += l.posted(); }
        m.put("windows.acceptsPosted", posted);
        return m;
    }

    int openChannels() {
        return channels.size();
    }

    int liveSockets() {
        return sockets.size();
    }

    ClientSocketPool clientPool() {
        return clientPool;
    }

    /**
     * Shutdown, in this order: stop accepting (close listeners: their posted AcceptEx are cancelled); abort open
     * channels (CancelIoEx + closesocket) and destroy pooled sockets; wait up to {@code timeout} for the channels
     * to close and every pending operation's completion (so its memory is freed normally); close the pool (waits
     * for running callbacks, closes the cleanup group's members, the group, the pool); then the main-queue port.
     *
     * <p>If the timeout passes first (a protocol callback that does not return, a peer or driver that does not
     * complete an operation), the forced path keeps the preconditions Windows sets: first no socket admits a new
     * overlapped call ({@link IoSocket#stopIssuing}: a connection still draining cannot issue WSARecv/WSASend on a
     * handle value that Windows may already have given to another socket), then every socket's operations are
     * cancelled (CancelIoEx) and the sockets closed, then the aborted completions get {@link #ABORT_WAIT_NANOS}.
     * Whatever is still outstanding after that is leaked, counted and logged, never freed: its op memory stays
     * allocated and the thread pool is not closed (closing it would free TP_IO objects with I/O outstanding
     * through the cleanup group; CloseThreadpool itself would only be deferred). Returns false then.
     *
     * <p>Idempotent: later calls wait for the first one's result.
     */
    @Override
    public boolean close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            if (inPoolThread()) { return closeResult.getNow(false); }
            try {
                return closeResult.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) { Thread.currentThread().interrupt(); }
                return false;
            }
        }
        if (inPoolThread()) {
            Thread t = new Thread(() -> doClose(timeout), "pxj-windows-close");
            t.start();
            return false;
        }
        return doClose(timeout);
    }

    private boolean doClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ok = true;
        boolean closePool = true;
        try {
            for (WindowsListener l : new ArrayList<>(listeners)) { l.close(); }
            for (WindowsChannel c : new ArrayList<>(channels)) { c.abortFromBackend(); }
            clientPool.destroyAll();
            boolean drained = waitUntil(() -> channels.isEmpty(), deadline);
            List<IoSocket> left = new ArrayList<>(sockets);
            if (!drained) {
                ok = false;
                LOG.warn("Windows backend close: {} connections still open after {}; forcing", channels.size(),
                        timeout);
                for (IoSocket s : left) { s.stopIssuing(); } // before any handle is closed: see the method comment
            }
            for (IoSocket s : left) { s.destroy(); } // spare/disconnecting sockets, and forced ones: CancelIoEx + close
            if (!waitUntil(() -> registry.pending() == 0, deadline)) {
                ok = false;
                waitUntil(() -> registry.pending() == 0, System.nanoTime() + ABORT_WAIT_NANOS);
            }
            for (Object o : new ArrayList<>(timersAndWaits)) {
                if (o instanceof ScheduledTimer t) { t.cancel(); }
                else if (o instanceof EventWait w) { w.cancel(); }
            }
            int outstanding = registry.pending();
            if (outstanding > 0) {
                closePool = false;
                ok = false;
                shutdownLeakedOps.add(outstanding);
                poolLeaked = true;
                LOG.warn("Windows backend closed with {} operations still pending after CancelIoEx; leaking their"
                        + " memory, their TP_IO objects and the thread pool rather than freeing what the kernel may"
                        + " still use", outstanding);
            }
        } catch (Throwable t) {
            ok = false;
            closePool = registry.pending() == 0;
            LOG.error("error while closing the Windows backend", t);
        } finally {
            if (closePool) {
                try {
                    pool.close(); // waits for callbacks; closes cleanup-group members, group, pool
                } catch (Throwable t) {
                    ok = false;
                    LOG.error("closing the thread pool failed", t);
                }
            }
            int abandoned = 0;
            for (IoOp op : registry.snapshot()) {
                if (op.retire()) { continue; }
                if (op.isPending()) {
                    abandoned++;
                    synchronized (ABANDONED) {
                        ABANDONED.add(op);
                    }
                }
            }
            if (abandoned > 0) {
                ok = false;
                LOG.warn("Windows backend closed with {} operations still owned by the kernel; their memory is"
                        + " abandoned (not freed)", abandoned);
            }
            mainQueue.closePort();
            closeResult.complete(ok);
        }
        return ok;
    }

    private static boolean waitUntil(BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) { return false; }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
        }
        return true;
    }

    @Override
    public String toString() {
        return "WindowsBackend[threads " + poolThreads(config) + ", channels "
                + channels.size() + ", listeners " + listeners.size() + "]";
    }
}

package io.pxj.win32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;

/**
 * {@link ThreadPool} on a private TP_POOL with a cleanup group. A {@link StampedLock} makes close() exclusive
 * against submissions and object creation, so nothing is ever created against a freed pool, group or
 * environment; object-level close() and pool close() agree (through {@link #members}) on who closes each
 * member natively, so nothing is closed twice. A {@link PoolIo}'s own close is deferred until its outstanding
 * operations are accounted for ({@link IoCloseState}); it may then run on a pool thread, inside that object's
 * completion callback, and still races pool close() safely: the native close happens under the read lock and only
 * if the object is still a member. Every other call on a member (SubmitThreadpoolWork, SetThreadpoolTimer/Wait,
 * IsThreadpoolTimerSet, WaitForThreadpool*Callbacks) holds the member's and the pool's {@link UseGate}: the
 * member's close and the pool's close each stop admitting calls and wait for those in progress before anything
 * is freed.
 *
 * <p>Thread exit: see {@link DetachRound}. The runtime creates the pool with minimum == maximum, so Windows
 * retires no idle thread while the pool lives (a retired thread would detach from DllMain); close() detaches every
 * thread from an ordinary callback before CloseThreadpool ends them.
 *
 * <p>The native calls go through a {@link TpCalls}: JNA on Windows, the Wine bridge elsewhere; these rules are the
 * same for both.
 *
 * <p>It stays one class (about 700 lines): the lock, the member set and the use gates form one protocol whose
 * correctness depends on every native call following it, which is only checkable when they are read together.
 */
final class NativeThreadPool implements ThreadPool {
    private static final Logger LOG = LoggerFactory.getLogger(NativeThreadPool.class);

    private final TpCalls tp;
    private final long pool;
    private final long cleanupGroup;
    /**
     * Three TP_CALLBACK_ENVIRON_V3: normal and runs-long, both with the cleanup group; and one with the pool only,
     * for the {@link DetachRound} submitted after the group's members are closed. Live until the pool is closed.
     */
    private final long env;
    private final long longEnv;
    private final long detachEnv;
    private final StampedLock lock = new StampedLock();
    /**
     * Calls in progress on member objects (and member closes); closed and drained by {@link #close()} before the
     * cleanup group frees the members. Not the read lock: a WaitFor*Callbacks may last as long as a callback, and
     * a callback may need the read lock (trySubmit) while close() waits for the write lock.
     */
    private final UseGate calls = new UseGate();
    private final Set<Member> members = new LinkedHashSet<>();
    private final LongAdder ioObjectsClosed = new LongAdder();
    private volatile boolean closed;
    private volatile int minThreads;
    private volatile int maxThreads;

    NativeThreadPool(TpCalls tp, int min, int max) throws WindowsException {
        if (min < 0 || max < 1 || min > max) {
            throw new IllegalArgumentException("threads: min " + min + ", max " + max);
        }
        this.tp = tp;
        long p = tp.CreateThreadpool();
        if (p == 0) {
            throw lastError("CreateThreadpool");
        }
        long g = 0;
        long e0 = 0;
        long e1 = 0;
        long e2 = 0;
        try {
            tp.SetThreadpoolThreadMaximum(p, max); // maximum first: a minimum above the maximum fails
            if (!tp.SetThreadpoolThreadMinimum(p, min)) {
                throw lastError("SetThreadpoolThreadMinimum");
            }
            g = tp.CreateThreadpoolCleanupGroup();
            if (g == 0) {
                throw lastError("CreateThreadpoolCleanupGroup");
            }
            e0 = tp.InitializeThreadpoolEnvironment(p, g, false);
            e1 = tp.InitializeThreadpoolEnvironment(p, g, true);
            e2 = tp.InitializeThreadpoolEnvironment(p, 0, false);
        } catch (WindowsException | RuntimeException e) {
            for (long created : new long[] {e0, e1}) {
                if (created != 0) {
                    tp.DestroyThreadpoolEnvironment(created);
                }
            }
            if (g != 0) {
                tp.CloseThreadpoolCleanupGroup(g);
            }
            tp.CloseThreadpool(p);
            throw e;
        }
        this.pool = p;
        this.cleanupGroup = g;
        this.env = e0;
        this.longEnv = e1;
        this.detachEnv = e2;
        this.minThreads = min;
        this.maxThreads = max;
    }

    @Override
    public int minThreads() {
        return minThreads;
    }

    @Override
    public int maxThreads() {
        return maxThreads;
    }

    @Override
    public void setMinThreads(int min) throws WindowsException {
        long stamp = openRead();
        try {
            if (!tp.SetThreadpoolThreadMinimum(pool, min)) {
                throw lastError("SetThreadpoolThreadMinimum");
            }
            minThreads = min;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void setMaxThreads(int max) {
        long stamp = openRead();
        try {
            tp.SetThreadpoolThreadMaximum(pool, max);
            maxThreads = max;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public boolean trySubmit(SimpleCallback callback, boolean runsLong) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        long stamp = lock.readLock();
        try {
            if (closed) {
                return false;
            }
            long ctx = PoolDispatch.SIMPLE.register(new PoolDispatch.SimpleSubmission(callback, this));
            if (!tp.TrySubmitThreadpoolCallback(ctx, runsLong ? longEnv : env)) {
                PoolDispatch.SIMPLE.release(ctx);
                return false;
            }
            return true;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public PoolWork createWork(WorkCallback callback, boolean runsLong) throws WindowsException {
        return create(new Work(callback), PoolDispatch.WORK, "CreateThreadpoolWork",
                context -> tp.CreateThreadpoolWork(context, runsLong ? longEnv : env));
    }

    @Override
    public PoolIo createIo(long handle, IoCompletionHandler handler) throws WindowsException {
        return create(new Io(handle, handler), PoolDispatch.IO, "CreateThreadpoolIo",
                context -> tp.CreateThreadpoolIo(handle, context, env));
    }

    @Override
    public PoolTimer createTimer(TimerCallback callback) throws WindowsException {
        return create(new Timer(callback), PoolDispatch.TIMER, "CreateThreadpoolTimer",
                context -> tp.CreateThreadpoolTimer(context, env));
    }

    @Override
    public PoolWait createWait(WaitCallback callback) throws WindowsException {
        return create(new Wait(callback), PoolDispatch.WAIT, "CreateThreadpoolWait",
                context -> tp.CreateThreadpoolWait(context, env));
    }

    @Override
    public boolean callbackMayRunLong() {
        return PoolDispatch.mayRunLong(tp);
    }

    @Override
    public long ioObjectsClosed() {
        return ioObjectsClosed.sum();
    }

    @Override
    public long callbackFailures() {
        return PoolDispatch.FAILURES.sum();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        long stamp = lock.writeLock();
        List<Member> toRelease;
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (members) {
                toRelease = new ArrayList<>(members);
                for (Member m : toRelease) {
                    m.closedByPool = true;
                    if (m instanceof Io io) {
                        io.state.takenByGroup(); // later starts fail fast; a deferred close finds nothing to do
                    }
                }
                members.clear();
            }
        } finally {
            lock.unlockWrite(stamp);
        }
        // Outside the lock: callbacks may be running and may call trySubmit (which then sees closed == true).
        // Calls on members and member closes still in progress finish first: the group is about to free them.
        calls.close();
        calls.awaitIdle();
        tp.CloseThreadpoolCleanupGroupMembers(cleanupGroup, true); // cancels queued, waits for running
        for (Member m : toRelease) {
            m.release();
        }
        tp.CloseThreadpoolCleanupGroup(cleanupGroup);
        int detached = DetachRound.run(maxThreads, this::submitForDetach, tp::detachCurrentThreadOnReturn,
                DETACH_TIMEOUT_MS);
        tp.CloseThreadpool(pool);
        tp.DestroyThreadpoolEnvironment(env);
        tp.DestroyThreadpoolEnvironment(longEnv);
        tp.DestroyThreadpoolEnvironment(detachEnv);
        LOG.debug("thread pool closed ({} members closed through the cleanup group, {} of {} threads detached"
                + " before exit)", toRelease.size(), detached, maxThreads);
    }

    /** Bound for the detach round's callbacks to start, and again to return. */
    static final long DETACH_TIMEOUT_MS = 2000;

    /** TrySubmitThreadpoolCallback on the pool-only environment (the pool is closed to everyone else by now). */
    private boolean submitForDetach(Runnable r) {
        long ctx = PoolDispatch.SIMPLE.register(new PoolDispatch.SimpleSubmission(r::run, this));
        if (!tp.TrySubmitThreadpoolCallback(ctx, detachEnv)) {
            PoolDispatch.SIMPLE.release(ctx);
            return false;
        }
        return true;
    }

    private long openRead() {
        long stamp = lock.readLock();
        if (closed) {
            lock.unlockRead(stamp);
            throw new IllegalStateException("thread pool closed");
        }
        return stamp;
    }

    /**
     * Creates the native object of {@code m} while the pool is open: registers {@code m} for its callbacks, calls
     * {@code function} ({@code create}: registry context to handle) and adds {@code m} to the members; on failure
     * the registration is released and the Win32 error thrown.
     */
    private <M extends Member> M create(M m, ContextRegistry<? super M> registry, String function,
                                        LongUnaryOperator create) throws WindowsException {
        long stamp = openRead();
        try {
            m.context = registry.register(m);
            m.handle = create.applyAsLong(m.context);
            return added(m, function, registry);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private <M extends Member> M added(M m, String function, ContextRegistry<?> registry) throws WindowsException {
        if (m.handle == 0) {
            int error = tp.lastError();
            registry.release(m.context);
            throw new WindowsException(function, error);
        }
        synchronized (members) {
            members.add(m);
        }
        return m;
    }

    private WindowsException lastError(String function) {
        return new WindowsException(function, tp.lastError());
    }

    /** Returns true if the caller must close {@code m} natively (i.e. the pool has not done it). */
    private boolean claimClose(Member m) {
        synchronized (members) {
            return !m.closedByPool && members.remove(m);
        }
    }

    /**
     * Base of every pool object: one native handle, one registry context, idempotent close. Every native call on
     * the object runs inside {@link #enter}/{@link #exit}: admitted by the object's gate and the pool's, so
     * neither the object's own close nor the pool's cleanup group can free it during the call; a call after
     * either close began throws IllegalStateException without touching the native object.
     */
    abstract class Member {
        /** Which WaitForThreadpool*Callbacks and CloseThreadpool* apply to this object. */
        final TpObject kind;
        volatile long handle;
        volatile long context;
        /** Set under {@code members}' lock when the cleanup group closed this object. */
        volatile boolean closedByPool;
        final AtomicBoolean closed = new AtomicBoolean();
        /** Calls in progress on this object; closed by {@link #close()}. */
        final UseGate gate = new UseGate();

        Member(TpObject kind) {
            this.kind = kind;
        }

        public boolean isClosed() {
            return closed.get() || closedByPool && NativeThreadPool.this.closed;
        }

        /**
         * Admits one native call on this object.
         *
         * @throws IllegalStateException (naming {@code function}) if the object or the pool is closed or closing
         */
        final void enter(String function) {
            if (!gate.enter()) {
                throw new IllegalStateException(function + " refused: " + getClass().getSimpleName() + " closed");
            }
            if (!calls.enter()) {
                gate.exit();
                throw new IllegalStateException(function + " refused: thread pool closed");
            }
        }

        final void exit() {
            calls.exit();
            gate.exit();
        }

        /** Calls {@code call} with the object's handle, admitted like every call ({@link #enter}/{@link #exit}). */
        final void admitted(String function, LongConsumer call) {
            enter(function);
            try {
                call.accept(handle);
            } finally {
                exit();
            }
        }

        /**
         * Stops admitting calls, waits for those in progress (short ones, or a WaitFor*Callbacks on another
         * thread), then frees the object unless the pool's cleanup group has taken it over.
         */
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            gate.close();
            gate.awaitIdle();
            if (!calls.enter()) {
                return; // the pool is closing: its cleanup group frees the object and pool close() releases it
            }
            try {
                if (claimClose(this)) {
                    closeNative();
                    release();
                }
            } finally {
                calls.exit();
            }
        }

        /** Frees the native object: waits for its callbacks (cancelling queued ones), then closes it. */
        void closeNative() {
            tp.WaitForThreadpoolCallbacks(kind, handle, true);
            tp.CloseThreadpoolObject(kind, handle);
        }

        /** WaitForThreadpool*Callbacks, admitted like every call. */
        public void waitForCallbacks(boolean cancelPending) {
            admitted(kind.waitFunction, h -> tp.WaitForThreadpoolCallbacks(kind, h, cancelPending));
        }

        /** Drops the registry entry (no callback can arrive any more). */
        abstract void release();
    }

    final class Work extends Member implements PoolWork {
        final WorkCallback callback;

        Work(WorkCallback callback) {
            super(TpObject.WORK);
            if (callback == null) {
                throw new NullPointerException("callback");
            }
            this.callback = callback;
        }

        @Override
        public void submit() {
            enter("SubmitThreadpoolWork");
            try {
                tp.SubmitThreadpoolWork(handle);
            } finally {
                exit();
            }
        }

        @Override
        void release() {
            PoolDispatch.WORK.release(context);
        }
    }

    /**
     * A TP_IO. Its outstanding operations and close request live in an {@link IoCloseState}: {@link #close()} only
     * requests the close while operations are outstanding, and CloseThreadpoolIo runs when the last of them is
     * accounted for (possibly inside this object's own completion callback: see {@link #closeNow()}), as MSDN
     * requires. StartThreadpoolIo, CancelThreadpoolIo and CloseThreadpoolIo run under the pool's read lock and only
     * while the pool is open, so none of them can reach a TP_IO that the cleanup group has freed.
     */
    final class Io extends Member implements PoolIo, PoolDispatch.IoTarget {
        final long fileHandle;
        final IoCompletionHandler handler;
        final IoCloseState state = new IoCloseState();
        private final AtomicBoolean released = new AtomicBoolean();

        Io(long fileHandle, IoCompletionHandler handler) {
            super(TpObject.IO);
            if (handler == null) {
                throw new NullPointerException("handler");
            }
            this.fileHandle = fileHandle;
            this.handler = handler;
        }

        @Override
        public long handle() {
            return fileHandle;
        }

        @Override
        public boolean isClosed() {
            return state.closeRequested() || state.closed() || closedByPool && NativeThreadPool.this.closed;
        }

        @Override
        public void start() {
            if (!state.tryStart()) {
                throw new IllegalStateException("StartThreadpoolIo refused: PoolIo of handle " + fileHandle
                        + " is closed or closing (" + state + ")");
            }
            boolean started = false;
            long stamp = lock.readLock();
            try {
                if (NativeThreadPool.this.closed) {
                    throw new IllegalStateException("StartThreadpoolIo refused: thread pool closed");
                }
                tp.StartThreadpoolIo(handle);
                started = true;
            } finally {
                lock.unlockRead(stamp);
                if (!started) {
                    finishedOne(); // undo the admission; may run a deferred close
                }
            }
        }

        @Override
        public void cancel() {
            if (state.pending() <= 0) {
                throw new IllegalStateException("CancelThreadpoolIo without a matching StartThreadpoolIo");
            }
            long stamp = lock.readLock();
            try {
                if (!NativeThreadPool.this.closed) { // else the cleanup group already freed the TP_IO
                    tp.CancelThreadpoolIo(handle); // valid after close(): the TP_IO lives while this is pending
                }
            } finally {
                lock.unlockRead(stamp);
            }
            finishedOne();
        }

        @Override
        public IoCompletionHandler handler() {
            return handler;
        }

        /** One started operation's completion was delivered (called from the I/O callback, after the handler). */
        @Override
        public void completed() {
            finishedOne();
        }

        private void finishedOne() {
            if (state.finished()) {
                closeNow();
            }
        }

        @Override
        public int pendingOperations() {
            return state.pending();
        }

        @Override
        public void waitForCallbacks(boolean cancelPending) {
            // A lease (counted like an operation) keeps a concurrent close() from freeing the TP_IO during the wait.
            // Not under the pool lock: callbacks we wait for may need it.
            if (!state.tryStart()) {
                throw new IllegalStateException("WaitForThreadpoolIoCallbacks refused: PoolIo closed or closing");
            }
            try {
                if (!calls.enter()) { // the pool's close waits for this call before its cleanup group frees the TP_IO
                    throw new IllegalStateException("WaitForThreadpoolIoCallbacks refused: thread pool closed");
                }
                try {
                    tp.WaitForThreadpoolCallbacks(kind, handle, cancelPending);
                } finally {
                    calls.exit();
                }
            } finally {
                finishedOne();
            }
        }

        /** Close requested: CloseThreadpoolIo now if nothing is outstanding, else after the last completion. */
        @Override
        public void close() {
            closed.set(true);
            if (state.requestClose()) {
                closeNow();
            }
        }

        /**
         * CloseThreadpoolIo, by the one caller {@link IoCloseState} designated, unless the cleanup group took the
         * object over first. May run inside this object's own completion callback: CloseThreadpoolIo does not wait
         * (MSDN: the object is freed "asynchronously after the outstanding callbacks complete"; Wine's
         * TpReleaseIoCompletion drops only the creation reference while the running callback holds its own).
         */
        void closeNow() {
            boolean mine;
            long stamp = lock.readLock();
            try {
                mine = claimClose(this);
                if (mine) {
                    tp.CloseThreadpoolObject(kind, handle);
                    ioObjectsClosed.increment();
                }
            } finally {
                lock.unlockRead(stamp);
            }
            if (mine) {
                release(); // no completion can arrive any more: all were accounted for
            }
        }

        @Override
        void closeNative() {
            throw new AssertionError("PoolIo closes through closeNow()");
        }

        @Override
        void release() {
            if (released.compareAndSet(false, true)) {
                PoolDispatch.IO.release(context);
            }
        }
    }

    final class Timer extends Member implements PoolTimer {
        final TimerCallback callback;

        Timer(TimerCallback callback) {
            super(TpObject.TIMER);
            if (callback == null) {
                throw new NullPointerException("callback");
            }
            this.callback = callback;
        }

        @Override
        public void set(long dueNanos, int periodMs, int windowMs) {
            if (dueNanos < 0 || periodMs < 0 || windowMs < 0) {
                throw new IllegalArgumentException("negative timer argument");
            }
            enter("SetThreadpoolTimer");
            try {
                tp.SetThreadpoolTimer(handle, true, relativeFiletime(dueNanos), periodMs, windowMs);
            } finally {
                exit();
            }
        }

        @Override
        public void stop() {
            admitted("SetThreadpoolTimer", h -> tp.SetThreadpoolTimer(h, false, 0, 0, 0));
        }

        @Override
        public boolean isSet() {
            enter("IsThreadpoolTimerSet");
            try {
                return tp.IsThreadpoolTimerSet(handle);
            } finally {
                exit();
            }
        }

        @Override
        void closeNative() {
            tp.SetThreadpoolTimer(handle, false, 0, 0, 0);
            super.closeNative();
        }

        @Override
        void release() {
            PoolDispatch.TIMER.release(context);
        }
    }

    final class Wait extends Member implements PoolWait {
        final WaitCallback callback;

        Wait(WaitCallback callback) {
            super(TpObject.WAIT);
            if (callback == null) {
                throw new NullPointerException("callback");
            }
            this.callback = callback;
        }

        @Override
        public void set(long waitHandle, Duration timeout) {
            if (timeout != null && timeout.isNegative()) {
                throw new IllegalArgumentException("negative timeout " + timeout);
            }
            enter("SetThreadpoolWait");
            try {
                // No timeout: NULL, wait forever.
                tp.SetThreadpoolWait(handle, waitHandle, timeout != null,
                        timeout == null ? 0 : relativeFiletime(saturatedNanos(timeout)));
            } finally {
                exit();
            }
        }

        @Override
        public void stop() {
            admitted("SetThreadpoolWait", h -> tp.SetThreadpoolWait(h, 0, false, 0));
        }

        @Override
        void closeNative() {
            tp.SetThreadpoolWait(handle, 0, false, 0);
            super.closeNative();
        }

        @Override
        void release() {
            PoolDispatch.WAIT.release(context);
        }
    }

    /** A relative due time as the FILETIME value SetThreadpoolTimer/Wait expect: negative 100 ns units. */
    static long relativeFiletime(long nanos) {
        long ticks = nanos / 100 + (nanos % 100 == 0 ? 0 : 1); // round up: never fire early
        return -ticks;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}

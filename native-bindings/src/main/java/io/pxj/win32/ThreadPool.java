package io.pxj.win32;

/**
 * A private Vista+ thread pool (TP_POOL) with its own cleanup group and callback environments
 * (TP_CALLBACK_ENVIRON_V3: a normal one and a "runs long" one).
 *
 * <p>Every object created here is a member of the pool's cleanup group. Callbacks run on pool threads that
 * JNA attaches once as daemon threads named {@code pxj-pool*} (CallbackThreadInitializer); callbacks must
 * not block the pool for long unless created with {@code runsLong}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent: waits for calls in progress on member objects, closes every
 * member still open through the cleanup group (cancelling callbacks that have not started, waiting for running
 * ones), then the group; then runs one callback per thread that asks JNA to detach the thread when it returns,
 * then closes the pool. Must not be called from a callback of this pool (deadlock).
 *
 * <p>Thread exit and JNA issue #1479: a pool thread that exits while still attached is detached by JNA from
 * DllMain(DLL_THREAD_DETACH) under the loader lock, where a pending safepoint can deadlock the JVM. Windows retires
 * idle threads above the minimum, so create pools with {@code minThreads == maxThreads} for as long as they run;
 * {@link #close()} detaches its threads on an ordinary callback return before CloseThreadpool ends them. Residual:
 * a thread that close()'s detach round misses (the pool could not run one callback per thread within 2 s) and the
 * threads of a pool never closed are detached at exit as before.
 */
public interface ThreadPool extends AutoCloseable {
    int minThreads();

    int maxThreads();

    /** SetThreadpoolThreadMinimum. */
    void setMinThreads(int min) throws WindowsException;

    /** SetThreadpoolThreadMaximum. */
    void setMaxThreads(int max);

    /**
     * TrySubmitThreadpoolCallback: runs {@code callback} once on a pool thread.
     *
     * @return false if Windows refused (out of resources) or the pool is closed; the callback will not run
     */
    boolean trySubmit(SimpleCallback callback, boolean runsLong);

    default boolean trySubmit(SimpleCallback callback) {
        return trySubmit(callback, false);
    }

    PoolWork createWork(WorkCallback callback, boolean runsLong) throws WindowsException;

    default PoolWork createWork(WorkCallback callback) throws WindowsException {
        return createWork(callback, false);
    }

    /** CreateThreadpoolIo: binds {@code handle} to the pool's completion port (do not associate it elsewhere). */
    PoolIo createIo(long handle, IoCompletionHandler handler) throws WindowsException;

    PoolTimer createTimer(TimerCallback callback) throws WindowsException;

    PoolWait createWait(WaitCallback callback) throws WindowsException;

    /**
     * CloseThreadpoolIo calls this pool made for {@link PoolIo} objects closed on their own (immediately or after
     * their last outstanding completion), not counting those its cleanup group closed: diagnostics and tests.
     */
    long ioObjectsClosed();

    /**
     * CallbackMayRunLong for the pool callback running on the current thread: tells the pool this callback may
     * not return quickly, so that it dispatches queued callbacks to other threads instead of counting this one
     * against its concurrency target (and starts a thread if its maximum allows). Called at most once per
     * callback (later calls return the first answer without calling Windows).
     *
     * @return the answer of CallbackMayRunLong (true if another thread is available or may be started); false if
     *         the current thread is not running a callback of this facade, or for implementations that cannot tell
     */
    default boolean callbackMayRunLong() {
        return false;
    }

    /** Throwables thrown by callbacks of this facade (all pools), caught and logged so none reaches Windows. */
    long callbackFailures();

    boolean isClosed();

    @Override
    void close();
}

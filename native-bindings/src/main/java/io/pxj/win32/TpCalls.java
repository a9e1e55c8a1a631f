package io.pxj.win32;

/**
 * The Vista+ thread-pool calls {@link NativeThreadPool} makes, with their Win32 names, so that one implementation
 * of the pool's rules (locks, cleanup-group membership, deferred CloseThreadpoolIo) drives either native layer: JNA
 * in this process ({@link JnaTpCalls}), or the Wine bridge's helper process ({@link WineTpCalls}).
 *
 * <p>Handles and contexts are plain values. The callback function of each object is the layer's own and always
 * lands in {@link PoolDispatch}; a layer's cleanup-group cancel callback calls {@link PoolDispatch#cancelled}.
 * Calls that fail return 0/false and leave {@link #lastError()} set, as Win32 does. Thread-safe.
 */
interface TpCalls {
    long CreateThreadpool();

    void SetThreadpoolThreadMaximum(long pool, int max);

    boolean SetThreadpoolThreadMinimum(long pool, int min);

    long CreateThreadpoolCleanupGroup();

    /**
     * A TP_CALLBACK_ENVIRON_V3 bound to {@code pool} and, unless 0, {@code group} (with the layer's cancel callback),
     * marked runs-long if asked (InitializeThreadpoolEnvironment + SetThreadpoolCallback*). Free with
     * {@link #DestroyThreadpoolEnvironment}.
     */
    long InitializeThreadpoolEnvironment(long pool, long group, boolean runsLong);

    void DestroyThreadpoolEnvironment(long environment);

    boolean TrySubmitThreadpoolCallback(long context, long environment);

    long CreateThreadpoolWork(long context, long environment);

    void SubmitThreadpoolWork(long work);

    long CreateThreadpoolIo(long handle, long context, long environment);

    void StartThreadpoolIo(long io);

    void CancelThreadpoolIo(long io);

    long CreateThreadpoolTimer(long context, long environment);

    /**
     * {@code set} false passes a NULL due time (stop); {@code dueFiletime} is a FILETIME value (negative = relative).
     */
    void SetThreadpoolTimer(long timer, boolean set, long dueFiletime, int periodMs, int windowMs);

    boolean IsThreadpoolTimerSet(long timer);

    long CreateThreadpoolWait(long context, long environment);

    /** {@code hasTimeout} false passes a NULL timeout (wait forever); waitHandle 0 disarms. */
    void SetThreadpoolWait(long wait, long waitHandle, boolean hasTimeout, long timeoutFiletime);

    /**
     * WaitForThreadpoolWorkCallbacks, WaitForThreadpoolIoCallbacks, WaitForThreadpoolTimerCallbacks or
     * WaitForThreadpoolWaitCallbacks, as {@code kind} says.
     */
    void WaitForThreadpoolCallbacks(TpObject kind, long object, boolean cancelPending);

    /** CloseThreadpoolWork, CloseThreadpoolIo, CloseThreadpoolTimer or CloseThreadpoolWait, as {@code kind} says. */
    void CloseThreadpoolObject(TpObject kind, long object);

    /** Cancel callbacks for cancelled members reach {@link PoolDispatch#cancelled} before this returns. */
    void CloseThreadpoolCleanupGroupMembers(long group, boolean cancelPending);

    void CloseThreadpoolCleanupGroup(long group);

    void CloseThreadpool(long pool);

    /** CallbackMayRunLong for the callback instance running on this thread. */
    boolean CallbackMayRunLong(long instance);

    /**
     * Called inside a pool callback before the pool closes: the thread leaves the JVM when the callback returns
     * (JNA: Native.detach(true), see {@link DetachRound}); nothing for a layer whose threads are not attached.
     */
    void detachCurrentThreadOnReturn();

    /** The calling thread's last error after a failed call. */
    int lastError();
}

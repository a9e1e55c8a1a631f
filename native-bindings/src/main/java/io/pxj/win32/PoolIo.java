package io.pxj.win32;

/**
 * The thread-pool I/O object (TP_IO) of one handle (socket or file): the pool's completion port delivers
 * every asynchronous completion of that handle to its {@link IoCompletionHandler}.
 *
 * <p>Protocol (MSDN, StartThreadpoolIo): call {@link #start()} before <b>every</b> overlapped operation on the handle,
 * and {@link #cancel()} when that operation's {@link IoOutcome} is not {@link IoOutcome#PENDING} and no
 * packet will be queued (a synchronous failure, or a synchronous success on a handle with
 * skip-completion-port-on-success). Skipping either corrupts the pool's bookkeeping.
 *
 * <p>Thread-safe. {@link #start()}, {@link #cancel()}, the completion callbacks and {@link #close()} are atomic with
 * respect to each other: the object counts its outstanding operations (start +1; cancel -1; each delivered
 * completion -1, after the handler returned). {@link #close()} is idempotent and does not wait: it is a <i>close
 * request</i>. With nothing outstanding CloseThreadpoolIo runs at once; otherwise it runs when the last outstanding
 * operation is accounted for, typically on the pool thread that delivered the last (aborted) completion, inside
 * this object's callback. Until then the handler stays registered, so late completions (after a socket close aborts
 * pending I/O) still reach it and can free their memory. A start after the close request fails and never touches
 * the native object. If the pool is closed first, its cleanup group closes the object instead (exactly one of the
 * two ever does).
 */
public interface PoolIo extends AutoCloseable {
    /** The handle this object was created for. */
    long handle();

    /**
     * StartThreadpoolIo. Throws IllegalStateException (naming StartThreadpoolIo) once close was requested or the
     * pool is closed; the native object is then not touched.
     */
    void start();

    /**
     * CancelThreadpoolIo: undoes one {@link #start()} whose operation will queue no completion. Valid after
     * {@link #close()} while that operation is outstanding; may perform the deferred CloseThreadpoolIo.
     */
    void cancel();

    /**
     * Operations started and not yet completed or cancelled (plus a {@link #waitForCallbacks} in progress):
     * diagnostics and close-with-pending-I/O logic.
     */
    int pendingOperations();

    /**
     * WaitForThreadpoolIoCallbacks. Never from this object's own callback (deadlock). A concurrent close is
     * deferred until the wait returns; must not race the pool's own close.
     */
    void waitForCallbacks(boolean cancelPending);

    boolean isClosed();

    /**
     * Requests CloseThreadpoolIo (idempotent; see the class comment): immediate if nothing is outstanding,
     * otherwise after the last outstanding completion. Close (or CancelIoEx) the handle itself first, so that
     * pending operations complete.
     */
    @Override
    void close();
}

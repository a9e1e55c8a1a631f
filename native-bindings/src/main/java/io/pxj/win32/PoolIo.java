package io.pxj.win32;

/**
 * The thread-pool I/O object (TP_IO) of one handle (socket or file): the pool's completion port delivers
 * every asynchronous completion of that handle to its {@link IoCompletionHandler}.
 *
 * <p>Protocol (windows-api.md): call {@link #start()} before <b>every</b> overlapped operation on the handle,
 * and {@link #cancel()} when that operation's {@link IoOutcome} is not {@link IoOutcome#PENDING} and no
 * packet will be queued (a synchronous failure, or a synchronous success on a handle with
 * skip-completion-port-on-success). Skipping either corrupts the pool's bookkeeping.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and does not wait: the facade keeps the handler registered
 * until every started operation has completed or been cancelled, so late completions (after a socket close
 * aborts pending I/O) still reach the handler and can free their memory.
 */
public interface PoolIo extends AutoCloseable {
    /** The handle this object was created for. */
    long handle();

    /** StartThreadpoolIo. Throws IllegalStateException once closed. */
    void start();

    /** CancelThreadpoolIo: undoes one {@link #start()} whose operation will queue no completion. */
    void cancel();

    /** Operations started and not yet completed or cancelled (diagnostics, close-with-pending-I/O logic). */
    int pendingOperations();

    /** WaitForThreadpoolIoCallbacks. Never from this object's own callback (deadlock). */
    void waitForCallbacks(boolean cancelPending);

    boolean isClosed();

    /** CloseThreadpoolIo (once). Close the handle itself first, or make sure nothing is pending. */
    @Override
    void close();
}

package io.pxj.win32;

/**
 * A thread-pool work object (TP_WORK): a reusable callback that can be submitted many times.
 *
 * <p>Thread-safe. {@link #close()} is idempotent; it cancels submissions that have not started, waits for
 * running callbacks, then frees the object, so it must not be called from this work's own callback.
 */
public interface PoolWork extends AutoCloseable {
    /** SubmitThreadpoolWork: queues one more run of the callback. Throws IllegalStateException once closed. */
    void submit();

    /** WaitForThreadpoolWorkCallbacks. Never from this work's own callback (deadlock). */
    void waitForCallbacks(boolean cancelPending);

    boolean isClosed();

    @Override
    void close();
}

package io.pxj.win32;

import java.time.Duration;

/**
 * A thread-pool wait (TP_WAIT): one callback when a handle is signalled or a timeout elapses. Re-arm with
 * {@link #set} (from the callback too).
 *
 * <p>Thread-safe. {@link #close()} is idempotent: disarms, cancels callbacks not yet started, waits for
 * running ones and frees the object; never call it from this wait's own callback.
 */
public interface PoolWait extends AutoCloseable {
    /** SetThreadpoolWait(handle, timeout); {@code timeout == null} waits forever. */
    void set(long handle, Duration timeout);

    /** SetThreadpoolWait(NULL): disarm. */
    void stop();

    /** WaitForThreadpoolWaitCallbacks. Never from this wait's own callback (deadlock). */
    void waitForCallbacks(boolean cancelPending);

    boolean isClosed();

    @Override
    void close();
}

package io.pxj.win32;

import java.time.Duration;

/**
 * A thread-pool timer (TP_TIMER).
 *
 * <p>Thread-safe. {@link #close()} is idempotent: stops the timer, cancels callbacks not yet started, waits
 * for running ones and frees the object; so never call it from this timer's own callback (use
 * {@link #stop()} there).
 */
public interface PoolTimer extends AutoCloseable {
    /**
     * SetThreadpoolTimer with a relative due time. {@code periodMs} 0 = one-shot; {@code windowMs} is the
     * coalescing window the system may delay expiries by (0 = none).
     */
    void set(long dueNanos, int periodMs, int windowMs);

    default void set(Duration due, Duration period, Duration window) {
        set(due.toNanos(), Math.toIntExact(period.toMillis()), Math.toIntExact(window.toMillis()));
    }

    /** SetThreadpoolTimer(NULL): no new expiries; callbacks already queued may still run. */
    void stop();

    /** IsThreadpoolTimerSet. */
    boolean isSet();

    /** WaitForThreadpoolTimerCallbacks. Never from this timer's own callback (deadlock). */
    void waitForCallbacks(boolean cancelPending);

    boolean isClosed();

    @Override
    void close();
}

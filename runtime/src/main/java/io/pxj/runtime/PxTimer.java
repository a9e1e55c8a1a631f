package io.pxj.runtime;

/**
 * A timer made by {@link Px#submitTimer}: runs its function in a parallel context after a delay and then
 * every period, until cancelled.
 *
 * <p>Threading: all methods are thread-safe.
 */
public interface PxTimer<T> {
    /** Stops future ticks; a tick already running finishes. Idempotent. */
    void cancel();

    boolean isCancelled();

    /** Ticks completed so far (successful or not). */
    long fireCount();

    /** The value the last successful tick returned (must not be arena-backed), or null. */
    T lastResult();

    /** The exception the last failed tick threw, or null. */
    Throwable lastError();
}

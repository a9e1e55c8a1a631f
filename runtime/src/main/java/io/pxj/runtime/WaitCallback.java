package io.pxj.runtime;

/**
 * Called in a parallel context when a {@link Px#submitWait} waitable is signalled, fails, or times out.
 *
 * @param <T> the waitable's value type
 */
@FunctionalInterface
public interface WaitCallback<T> {
    /**
     * @param value   the waitable's value (null on failure or timeout)
     * @param failure null on success; the waitable's exception; or a {@link WaitTimeoutException}
     */
    void signalled(ParallelContext ctx, T value, Throwable failure) throws Exception;
}

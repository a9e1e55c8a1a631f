package io.pxj.runtime.internal;

import io.pxj.runtime.Px;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What a {@link ContextImpl} needs from its runtime: kept as an interface so arenas and contexts can be tested
 * without a backend.
 *
 * <p>Threading: every method is thread-safe.
 */
public interface ContextHost {
    Px px();

    boolean isMainThread(Thread t);

    void callFromMainThread(Runnable task);

    <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception;

    <T> T published(String name, Class<T> type);
}

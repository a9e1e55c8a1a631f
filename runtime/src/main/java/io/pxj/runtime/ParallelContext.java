package io.pxj.runtime;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The isolated context a parallel callback runs in, passed to it explicitly. It owns an arena: memory from
 * {@link #allocate(int)} is released in one step ("rolled back") when the callback returns, or when the send
 * of the callback's return value completes. Connection contexts are kept for the connection's life and recycled
 * with it; work, timer and wait callbacks get a context for the duration of one call.
 *
 * <h2>Don't persist parallel objects</h2>
 * Arena memory must not outlive the callback: a use after rollback throws {@link ContextEscapeException};
 * storing it into a {@link Protected} container throws {@link PersistenceException}. Copy data out
 * ({@link ArenaBuffer#toByteArray()}) to keep it. Shared state is read through {@link #published} and changed
 * through {@link Protected} objects or {@link #callFromMainThread}.
 *
 * <p>Threading: a context may only be used by the thread currently running its callback; any other use
 * (including from the main thread, or after the callback returned) throws {@link ProtectionException}.
 */
public interface ParallelContext {
    /** Runtime-unique context id. */
    long id();

    /** Incremented at every rollback; arena objects remember the generation they were allocated in. */
    long generation();

    /** The runtime this context belongs to. Main-thread-only calls on it throw {@link ProtectionException}. */
    Px runtime();

    /** The connection this context serves, or null for work, timer and wait contexts. */
    Transport transport();

    /**
     * Allocates {@code size} bytes from the arena (bump allocation; no garbage).
     *
     * @throws ArenaExhaustedException if the context's arena limit would be passed
     */
    ArenaBuffer allocate(int size);

    /**
     * Allocates like {@link #allocate(int)}, but into a handle the caller keeps and passes back on later
     * allocations, so code that allocates in every callback (a response writer) creates no handle object per
     * allocation even when escape checks are on. Pass {@code null} the first time and keep the returned handle;
     * passing it back re-points it at the new memory and returns it. Re-pointing ends its earlier allocation for
     * the caller: nothing may still read it through this handle (a send the callback returned has already copied
     * out where its bytes are). Use such a handle for one allocation at a time, and keep it away from code that
     * might store it.
     *
     * <p>The default ignores {@code reuse} and returns {@link #allocate(int)}.
     *
     * @param reuse null, or a handle this method returned on a context of the same runtime
     * @throws IllegalArgumentException if {@code reuse} was not returned by this method
     * @throws ArenaExhaustedException  if the context's arena limit would be passed
     */
    default ArenaBuffer allocate(int size, ArenaBuffer reuse) {
        return allocate(size);
    }

    /** Arena bytes handed out since the last rollback. */
    long arenaBytesInUse();

    /** Runs {@code task} on the main thread during its next {@link Px#runOnce}; returns at once. */
    void callFromMainThread(Runnable task);

    /**
     * Runs {@code task} on the main thread and waits for its result.
     *
     * @throws WaitTimeoutException if the main thread did not run it within {@code timeout}
     * @throws ProtectionException  if called on the main thread (it would wait for itself)
     */
    <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception;

    /** State the main thread published with {@link Px#publish}, or null. */
    <T> T published(String name, Class<T> type);
}

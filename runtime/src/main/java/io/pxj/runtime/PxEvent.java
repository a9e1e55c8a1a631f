package io.pxj.runtime;

/**
 * A manual-reset event created by {@link Px#newEvent()}, usable with {@link Px#submitWait(PxEvent, java.time.Duration,
 * WaitCallback)}. On Windows it is a kernel event waited on by the thread pool.
 *
 * <p>Threading: all methods are thread-safe.
 */
public interface PxEvent extends AutoCloseable {
    void set();

    void reset();

    boolean isSet();

    @Override
    void close();
}

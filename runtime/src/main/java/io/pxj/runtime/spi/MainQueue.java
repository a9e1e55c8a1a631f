package io.pxj.runtime.spi;

/**
 * The main thread's queue (an I/O completion port on Windows). Any thread posts; only the main thread drains.
 */
public interface MainQueue {
    /** Queues {@code task} for the main thread and wakes it. Thread-safe; never blocks. */
    void post(Runnable task);

    /**
     * Main thread only: runs the queued tasks; if none is queued, waits up to {@code timeoutNanos} for one.
     * Exceptions thrown by tasks propagate to the caller after the task is removed.
     *
     * @return number of tasks run
     */
    int drain(long timeoutNanos) throws InterruptedException;

    /** Tasks waiting. */
    int size();
}

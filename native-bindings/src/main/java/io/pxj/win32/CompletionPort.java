package io.pxj.win32;

/**
 * An I/O completion port (the main thread's queue, or a private port for handles not driven by the pool).
 *
 * <p>Thread-safe: any thread may {@link #post}; any number of threads may dequeue. {@link #close()} is
 * idempotent; threads blocked in a dequeue then fail with ERROR_ABANDONED_WAIT_0 (735), reported as
 * {@link DequeueStatus#CLOSED}, never as an exception.
 */
public interface CompletionPort extends AutoCloseable {
    /** Outcome of a single dequeue. */
    enum DequeueStatus {
        /** A packet was dequeued; see {@link CompletionResult#error()} for a failed I/O. */
        DEQUEUED,
        /** The timeout elapsed (WAIT_TIMEOUT). */
        TIMEOUT,
        /** The port was closed (ERROR_ABANDONED_WAIT_0) or is closed. */
        CLOSED
    }

    /** INFINITE (0xFFFFFFFF) as a timeout. */
    int INFINITE = -1;

    /** The port HANDLE (for diagnostics). */
    long handle();

    /** CreateIoCompletionPort(handle, port, key, 0): completions of {@code handle} go to this port. */
    void associate(long handle, long completionKey) throws WindowsException;

    /** PostQueuedCompletionStatus; key 0 + overlapped 0 is the usual "wake up" packet. */
    void post(int bytes, long completionKey, long overlappedAddress) throws WindowsException;

    /**
     * GetQueuedCompletionStatus into a reusable holder.
     *
     * @param timeoutMs milliseconds, or {@link #INFINITE}
     */
    DequeueStatus dequeue(CompletionResult into, int timeoutMs) throws WindowsException;

    /**
     * GetQueuedCompletionStatusEx (non-alertable) into a reusable array; per-entry errors are translated from
     * OVERLAPPED.Internal with RtlNtStatusToDosError.
     *
     * @return the number of entries removed: 0 on timeout, -1 if the port was closed
     */
    int dequeueBatch(CompletionEntries into, int timeoutMs) throws WindowsException;

    boolean isClosed();

    @Override
    void close();
}

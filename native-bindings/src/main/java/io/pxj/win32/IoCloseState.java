package io.pxj.win32;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The outstanding-operation count and close state of one TP_IO, as one atomic word, so that "start", "an operation
 * is accounted for" and "close" are atomic with respect to each other. Pure Java (no native call): the caller
 * performs the native action each method tells it to.
 *
 * <p>CloseThreadpoolIo (MSDN): close the file handle and wait for all outstanding overlapped I/O to complete
 * <i>before</i> calling it, and start no I/O after it. So {@link #requestClose()} only records the request while
 * operations are outstanding; the native close is due when the last of them is accounted for (its completion
 * delivered, or its StartThreadpoolIo undone by CancelThreadpoolIo). Exactly one caller is ever told to close,
 * and never while anything is outstanding; no start is admitted once close was requested.
 *
 * <p>A cleanup group can take the object over ({@link #takenByGroup()}): its teardown closes the TP_IO, so the
 * object's own close must not. Whoever comes first wins, exactly once.
 *
 * <p>Thread-safe, lock-free.
 */
final class IoCloseState {
    private static final long PENDING_MASK = 0xFFFF_FFFFL;
    private static final long CLOSE_REQUESTED = 1L << 32;
    /** Terminal: the native close was handed out (to the object or to its cleanup group). */
    private static final long CLOSED = 1L << 33;

    private final AtomicLong state = new AtomicLong();

    /**
     * Admits one operation (StartThreadpoolIo follows) or a short native use of the handle.
     *
     * @return false if close was requested or the object is closed: the caller must not touch the native handle
     */
    boolean tryStart() {
        for (;;) {
            long s = state.get();
            if ((s & (CLOSE_REQUESTED | CLOSED)) != 0) { return false; }
            if ((s & PENDING_MASK) == PENDING_MASK) { throw new IllegalStateException("too many pending operations"); }
            if (state.compareAndSet(s, s + 1)) { return true; }
        }
    }

    /**
     * One admitted operation is accounted for: its completion was delivered, or it failed synchronously and
     * CancelThreadpoolIo undid its start, or it was a short use ({@link #tryStart()}) that ended.
     *
     * @return true if the caller must now close natively (close was requested and this was the last one)
     * @throws IllegalStateException if nothing is outstanding (an unmatched cancel or completion)
     */
    boolean finished() {
        for (;;) {
            long s = state.get();
            long pending = s & PENDING_MASK;
            if (pending == 0) {
                throw new IllegalStateException("CancelThreadpoolIo or completion without a matching "
                        + "StartThreadpoolIo");
            }
            long next = s - 1;
            boolean closeNow = pending == 1 && (s & CLOSE_REQUESTED) != 0 && (s & CLOSED) == 0;
            if (closeNow) { next |= CLOSED; }
            if (state.compareAndSet(s, next)) { return closeNow; }
        }
    }

    /**
     * Close requested (idempotent). Later {@link #tryStart()} calls fail.
     *
     * @return true if the caller must close natively now (nothing outstanding, and nobody closed it yet)
     */
    boolean requestClose() {
        for (;;) {
            long s = state.get();
            if ((s & CLOSE_REQUESTED) != 0) { return false; }
            long next = s | CLOSE_REQUESTED;
            boolean closeNow = (s & PENDING_MASK) == 0 && (s & CLOSED) == 0;
            if (closeNow) { next |= CLOSED; }
            if (state.compareAndSet(s, next)) { return closeNow; }
        }
    }

    /**
     * The cleanup group closes the object (CloseThreadpoolCleanupGroupMembers). Later starts fail.
     *
     * @return true if the group is the one closing it; false if the object's own close was already handed out
     */
    boolean takenByGroup() {
        for (;;) {
            long s = state.get();
            if ((s & CLOSED) != 0) { return false; }
            if (state.compareAndSet(s, s | CLOSED)) { return true; }
        }
    }

    int pending() {
        return (int) (state.get() & PENDING_MASK);
    }

    boolean closeRequested() {
        return (state.get() & CLOSE_REQUESTED) != 0;
    }

    /** The native close was handed out (it may still be in progress in the caller). */
    boolean closed() {
        return (state.get() & CLOSED) != 0;
    }

    @Override
    public String toString() {
        long s = state.get();
        return "IoCloseState[pending " + (s & PENDING_MASK) + ((s & CLOSE_REQUESTED) != 0 ? ", close requested" : "")
                + ((s & CLOSED) != 0 ? ", closed" : "") + "]";
    }
}

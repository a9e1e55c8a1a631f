package io.pxj.win32;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the native calls in progress on one native object (or on a whole pool) and, once closed, admits no new
 * one, so that whoever frees the object can first wait until nobody is inside a call on it. Pure Java: the
 * caller performs the native action.
 *
 * <p>Used by {@link NativeThreadPool}: every call on a TP_WORK, TP_TIMER or TP_WAIT holds its object's gate and
 * the pool's gate; an object's close closes its gate and waits, and the pool's close closes the pool's gate and
 * waits before CloseThreadpoolCleanupGroupMembers frees every member. So no SubmitThreadpoolWork,
 * SetThreadpoolTimer, SetThreadpoolWait, IsThreadpoolTimerSet or WaitForThreadpool*Callbacks can reach a freed
 * object.
 *
 * <p>Thread-safe, lock-free except {@link #awaitIdle()}, which parks.
 */
final class UseGate {
    private static final int CLOSED = 1 << 30;
    private final AtomicInteger state = new AtomicInteger();

    /**
     * Admits one call.
     *
     * @return false once {@link #close()} was called: the caller must not touch the native object
     */
    boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) { return false; }
            if ((s & ~CLOSED) == CLOSED - 1) { throw new IllegalStateException("too many concurrent calls"); }
            if (state.compareAndSet(s, s + 1)) { return true; }
        }
    }

    /** The call admitted by {@link #enter()} returned. */
    void exit() {
        for (;;) {
            int s = state.get();
            if ((s & ~CLOSED) == 0) { throw new IllegalStateException("UseGate.exit without enter"); }
            if (state.compareAndSet(s, s - 1)) { return; }
        }
    }

    /**
     * Admits no new call from now on.
     *
     * @return true for the first caller only
     */
    boolean close() {
        return (state.getAndUpdate(s -> s | CLOSED) & CLOSED) == 0;
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Calls in progress. */
    int inUse() {
        return state.get() & ~CLOSED;
    }

    /**
     * Waits until no admitted call is in progress. Meant after {@link #close()}; never from inside a call
     * admitted by this gate (it would wait for itself).
     */
    void awaitIdle() {
        while (inUse() != 0) {
            LockSupport.parkNanos(20_000);
        }
    }

    @Override
    public String toString() {
        return "UseGate[" + inUse() + " in use" + (isClosed() ? ", closed" : "") + "]";
    }
}

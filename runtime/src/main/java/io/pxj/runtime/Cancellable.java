package io.pxj.runtime;

/**
 * A scheduled timer, wait or delayed task that can be stopped: what {@link Px#submitWait} returns, and what
 * backends return for their timers and waits (one type for both, so the core passes a backend's handle on).
 * Threading: {@link #cancel} from any thread.
 */
@FunctionalInterface
public interface Cancellable {
    /** Prevents future runs; a run in progress finishes. Idempotent, thread-safe. */
    void cancel();
}

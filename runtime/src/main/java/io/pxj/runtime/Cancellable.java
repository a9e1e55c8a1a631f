package io.pxj.runtime.spi;

/** A scheduled timer, wait or delayed task. */
@FunctionalInterface
public interface Cancellable {
    /** Prevents future runs; a run in progress finishes. Idempotent, thread-safe. */
    void cancel();
}

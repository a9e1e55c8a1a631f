package io.pxj.runtime.spi;

/** Run on a pool thread when a waited-on event is set or the wait timed out. */
@FunctionalInterface
public interface WaitTask {
    void run(boolean timedOut);
}

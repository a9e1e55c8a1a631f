package io.pxj.runtime.internal;

import io.pxj.runtime.Cancellable;

/**
 * A connection's send rate limit ({@link io.pxj.runtime.ProtocolOptions#rateLimitBytesPerSecond}): each send
 * pushes the earliest start of the next one back by its size at the configured rate, and sends are cut to about
 * a twentieth of a second's worth, which keeps the rate smooth. When the queue must wait, the connection arms one
 * timer at a time, which this holds so closing can cancel it.
 *
 * <p>Threading: the connection's event thread only.
 */
final class SendRateLimiter {
    private final long bytesPerSecond;
    private long nextSendNanos;       // earliest start of the next send
    private Cancellable timer;

    SendRateLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Nanoseconds until the next send may start; zero or less means now. */
    long delay(long now) {
        return nextSendNanos - now;
    }

    /** The most bytes one send may carry. */
    long budget() {
        return Math.max(1, bytesPerSecond / 20); // about 20 sends per second keeps the rate smooth
    }

    /** A send of {@code bytes} started at {@code now}. */
    void sent(long now, long bytes) {
        nextSendNanos = Math.max(now, nextSendNanos) + bytes * 1_000_000_000L / bytesPerSecond;
    }

    boolean timerArmed() {
        return timer != null;
    }

    void timerArmed(Cancellable t) {
        timer = t;
    }

    /** The timer fired (it is not armed any more). */
    void timerFired() {
        timer = null;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}

package io.pxj.runtime.windows;

import io.pxj.runtime.Cancellable;
import io.pxj.win32.PoolTimer;
import io.pxj.win32.TimerCallback;
import io.pxj.win32.WindowsException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link io.pxj.runtime.spi.Backend#schedule} on a thread-pool timer (TP_TIMER). One-shot timers free their
 * timer after the run; {@link #cancel()} stops the timer, waits for callbacks (cancelling queued ones) and closes
 * it. Called from the timer's own callback (a task cancelling itself), waiting would deadlock, so the close is
 * handed to another pool callback.
 *
 * <p>Threading: the task runs on pool threads; a slow periodic task may overlap with its next period (the
 * pool's semantics). {@link #cancel()} is idempotent and thread-safe; a run in progress finishes.
 */
final class ScheduledTimer implements Cancellable, TimerCallback {
    private static final ThreadLocal<ScheduledTimer> IN_CALLBACK = new ThreadLocal<>();

    private final WindowsBackend backend;
    private final Runnable task;
    private final boolean periodic;
    private volatile PoolTimer timer;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    ScheduledTimer(WindowsBackend backend, Runnable task, boolean periodic) {
        this.backend = backend;
        this.task = task;
        this.periodic = periodic;
    }

    void start(long delayNanos, long periodNanos) throws WindowsException {
        PoolTimer t = backend.pool.createTimer(this);
        timer = t;
        int periodMs = periodic
                ? (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(periodNanos + 999_999)))
                : 0;
        t.set(Math.max(0, delayNanos), periodMs, 0);
    }

    @Override
    public void onTimer() {
        WindowsBackend prev = backend.enterCallback();
        ScheduledTimer outer = IN_CALLBACK.get();
        IN_CALLBACK.set(this);
        try {
            if (cancelled.get()) { return; }
            try {
                task.run();
            } catch (Throwable t) {
                WindowsBackend.LOG.error("scheduled task failed", t);
            }
            if (!periodic && cancelled.compareAndSet(false, true)) {
                backend.submitInternal(this::closeTimer); // never close a timer from its own callback
            }
        } finally {
            IN_CALLBACK.set(outer);
            backend.exitCallback(prev);
        }
    }

    @Override
    public void cancel() {
        if (!cancelled.compareAndSet(false, true)) { return; }
        PoolTimer t = timer;
        if (t == null) { return; }
        t.stop();
        if (IN_CALLBACK.get() == this) {
            backend.submitInternal(this::closeTimer);
        } else {
            closeTimer();
        }
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    private void closeTimer() {
        if (closed.compareAndSet(false, true)) {
            PoolTimer t = timer;
            t.stop();
            t.waitForCallbacks(true);
            t.close();
            backend.timerClosed(this);
        }
    }
}

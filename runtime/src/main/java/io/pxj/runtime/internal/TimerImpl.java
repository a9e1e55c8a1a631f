package io.pxj.runtime.internal;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.ParallelFunction;
import io.pxj.runtime.PxTimer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PxTimer} on a backend schedule. Ticks never overlap: if the backend fires while the previous tick
 * still runs (possible on a thread pool), the tick is skipped rather than run concurrently.
 *
 * <p>Threading: all methods thread-safe; results are published through volatile fields.
 */
final class TimerImpl<T> implements PxTimer<T> {
    private final PxCore core;
    private final ParallelFunction<T> fn;
    private final boolean periodic;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicLong fires = new AtomicLong();
    private volatile boolean cancelled;
    private volatile Cancellable handle;
    private volatile T lastResult;
    private volatile Throwable lastError;

    TimerImpl(PxCore core, ParallelFunction<T> fn, boolean periodic) {
        this.core = core;
        this.fn = fn;
        this.periodic = periodic;
    }

    void handle(Cancellable h) {
        handle = h;
        if (cancelled || done.get()) { h.cancel(); } // cancelled (or fired once) before the handle was known
    }

    void tick() {
        if (cancelled || !running.compareAndSet(false, true)) { return; }
        try {
            lastResult = core.scheduler.runTick(fn);
        } catch (Throwable t) {
            lastError = t;
            core.errors.increment();
            core.report("timer function failed (tick " + (fires.get() + 1) + ")", t);
        } finally {
            fires.incrementAndGet();
            running.set(false);
            if (!periodic) { finish(); }
        }
    }

    private void finish() {
        if (done.compareAndSet(false, true)) { core.scheduler.timerDone(this); }
    }

    @Override
    public void cancel() {
        cancelled = true;
        Cancellable h = handle;
        if (h != null) { h.cancel(); }
        finish();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public long fireCount() {
        return fires.get();
    }

    @Override
    public T lastResult() {
        return lastResult;
    }

    @Override
    public Throwable lastError() {
        return lastError;
    }

    @Override
    public String toString() {
        return "PxTimer[fires=" + fires.get() + ", cancelled=" + cancelled + ", periodic=" + periodic + "]";
    }
}

package io.pxj.runtime.internal;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.ParallelFunction;
import io.pxj.runtime.PxEvent;
import io.pxj.runtime.PxTimer;
import io.pxj.runtime.WaitCallback;
import io.pxj.runtime.WaitTimeoutException;
import io.pxj.runtime.spi.Backend;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The core's work, timers and waits: {@code submitWork}, {@code submitTimer}, both {@code submitWait}s and
 * {@code newEvent}. Each callback runs on the backend's pool in a borrowed context; results and errors go to the
 * main thread. It keeps what is still scheduled, so closing the runtime can cancel it and wait for callbacks that
 * already run ({@link #cancelAll}, {@link #callbacksInFlight}).
 *
 * <p>Threading: every method is thread-safe; callbacks run on pool threads.
 */
public final class Scheduler {
    private final PxCore core;
    private final Backend backend;
    private final ConcurrentHashMap<Object, Boolean> timersAndWaits = new ConcurrentHashMap<>();
    /** Event waits not yet fired, so close() can cancel them. */
    private final ConcurrentHashMap<Object, Cancellable> waitCancels = new ConcurrentHashMap<>();
    private final AtomicInteger callbacksInFlight = new AtomicInteger(); // callbacks running or queued

    final LongAdder workSubmitted = new LongAdder();
    final LongAdder workCompleted = new LongAdder();
    final LongAdder timersActive = new LongAdder();

    Scheduler(PxCore core, Backend backend) {
        this.core = core;
        this.backend = backend;
    }

    // ------------------------------------------------------------------ work

    public <T> CompletionStage<T> submitWork(ParallelFunction<T> fn, Consumer<? super T> callback,
                                             Consumer<? super Throwable> errback) {
        Objects.requireNonNull(fn, "fn");
        core.ensureOpen();
        CompletableFuture<T> f = new CompletableFuture<>();
        workSubmitted.increment();
        callbacksInFlight.incrementAndGet();
        try {
            backend.execute(() -> runWork(fn, callback, errback, f));
        } catch (RuntimeException e) {
            callbacksInFlight.decrementAndGet();
            workCompleted.increment();
            throw e;
        }
        return f;
    }

    private <T> void runWork(ParallelFunction<T> fn, Consumer<? super T> callback,
                             Consumer<? super Throwable> errback, CompletableFuture<T> f) {
        T result = null;
        Throwable error = null;
        ContextImpl ctx = core.borrowContext();
        try {
            core.callbacksRun.increment();
            ctx.enter();
            try {
                result = fn.apply(ctx);
            } finally {
                ctx.exit();
            }
            core.checkNotParallel(result, "submitWork function");
        } catch (Throwable t) {
            error = t;
            result = null;
        } finally {
            core.releaseContext(ctx);
            workCompleted.increment();
        }
        try {
            if (error == null) {
                T r = result;
                if (callback != null) {
                    core.postMain(() -> core.runOnMain("submitWork callback", () -> callback.accept(r)));
                }
                f.complete(r);
            } else {
                core.errors.increment();
                Throwable e = error;
                if (errback != null) {
                    core.postMain(() -> core.runOnMain("submitWork errback", () -> errback.accept(e)));
                } else {
                    core.report("submitWork function failed (no errback given)", e);
                }
                f.completeExceptionally(e);
            }
        } finally {
            callbacksInFlight.decrementAndGet();
        }
    }

    // ------------------------------------------------------------------ timers

    public <T> PxTimer<T> submitTimer(Duration delay, Duration period, ParallelFunction<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0: " + delay);
        }
        if (period != null && period.isNegative()) {
            throw new IllegalArgumentException("period must be >= 0: " + period);
        }
        core.ensureOpen();
        long periodNanos = period == null ? 0 : period.toNanos();
        TimerImpl<T> t = new TimerImpl<>(core, fn, periodNanos > 0);
        timersActive.increment();
        timersAndWaits.put(t, Boolean.TRUE);
        t.handle(backend.schedule(t::tick, delay.toNanos(), periodNanos));
        return t;
    }

    /** Runs one timer tick in a borrowed context; returns the result or throws. Called by TimerImpl. */
    <T> T runTick(ParallelFunction<T> fn) throws Exception {
        ContextImpl ctx = core.borrowContext();
        callbacksInFlight.incrementAndGet();
        try {
            core.callbacksRun.increment();
            ctx.enter();
            T r;
            try {
                r = fn.apply(ctx);
            } finally {
                ctx.exit();
            }
            core.checkNotParallel(r, "timer function");
            return r;
        } finally {
            core.releaseContext(ctx);
            callbacksInFlight.decrementAndGet();
        }
    }

    void timerDone(TimerImpl<?> t) {
        timersActive.decrement();
        timersAndWaits.remove(t);
    }

    // ------------------------------------------------------------------ waits

    public <T> Cancellable submitWait(CompletionStage<T> waitable, Duration timeout, WaitCallback<? super T> fn) {
        Objects.requireNonNull(waitable, "waitable");
        Objects.requireNonNull(fn, "fn");
        checkTimeout(timeout);
        core.ensureOpen();
        StageWait<T> w = new StageWait<>(fn);
        timersAndWaits.put(w, Boolean.TRUE);
        if (timeout != null) {
            w.timeout = backend.schedule(() -> {
                if (w.fire()) {
                    runWaitCallback(fn, null, new WaitTimeoutException("submitWait: the stage did not"
                            + " complete within " + timeout));
                }
            }, timeout.toNanos(), 0);
            if (w.fired.get()) {
                w.timeout.cancel();
            }
        }
        waitable.whenComplete((v, e) -> {
            if (w.fire()) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                backend.execute(() -> runWaitCallback(fn, cause == null ? v : null, cause));
            }
        });
        return w::cancel;
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0 (or null for none): " + timeout);
        }
    }

    /** A stage wait: fires once, by completion, timeout or cancel (the latter without a callback). */
    private final class StageWait<T> {
        final AtomicBoolean fired = new AtomicBoolean();
        volatile Cancellable timeout;
        final Object fn;

        StageWait(Object fn) {
            this.fn = fn;
        }

        boolean fire() {
            if (!fired.compareAndSet(false, true)) {
                return false;
            }
            Cancellable c = timeout;
            if (c != null) {
                c.cancel();
            }
            timersAndWaits.remove(this);
            callbacksInFlight.incrementAndGet(); // decremented by runWaitCallback
            return true;
        }

        void cancel() {
            if (fired.compareAndSet(false, true)) {
                Cancellable c = timeout;
                if (c != null) {
                    c.cancel();
                }
                timersAndWaits.remove(this);
            }
        }
    }

    private <T> void runWaitCallback(WaitCallback<? super T> fn, T value, Throwable failure) {
        ContextImpl ctx = core.borrowContext();
        try {
            core.callbacksRun.increment();
            ctx.enter();
            try {
                fn.signalled(ctx, value, failure);
            } finally {
                ctx.exit();
            }
        } catch (Throwable t) {
            core.errors.increment();
            core.report("submitWait callback failed", t);
        } finally {
            core.releaseContext(ctx);
            callbacksInFlight.decrementAndGet();
        }
    }

    public Cancellable submitWait(PxEvent event, Duration timeout, WaitCallback<? super PxEvent> fn) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(fn, "fn");
        checkTimeout(timeout);
        if (!(event instanceof PxEventImpl e) || e.core != core) {
            throw new IllegalArgumentException("event must come from this runtime's Px.newEvent()");
        }
        core.ensureOpen();
        AtomicBoolean done = new AtomicBoolean();
        Object key = new Object();
        Cancellable c = backend.waitFor(e.backendEvent, timeout == null ? -1 : timeout.toNanos(), timedOut -> {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            waitCancels.remove(key);
            callbacksInFlight.incrementAndGet(); // decremented by runWaitCallback
            if (timedOut) {
                runWaitCallback(fn, null,
                        new WaitTimeoutException("submitWait: the event was not set within " + timeout));
            } else {
                runWaitCallback(fn, event, null);
            }
        });
        Cancellable cancel = () -> {
            if (done.compareAndSet(false, true)) {
                waitCancels.remove(key);
                c.cancel();
            }
        };
        if (!done.get()) {
            waitCancels.put(key, cancel);
        }
        return cancel;
    }

    public PxEvent newEvent() {
        core.ensureOpen();
        return new PxEventImpl(core, backend.newEvent());
    }

    // ------------------------------------------------------------------ close

    /** Cancels every timer and wait still scheduled (closing the runtime). */
    void cancelAll() {
        for (Object o : timersAndWaits.keySet()) {
            if (o instanceof TimerImpl<?> t) {
                t.cancel();
            } else if (o instanceof StageWait<?> w) {
                w.cancel();
            }
        }
        for (Cancellable c : waitCancels.values()) {
            c.cancel();
        }
    }

    /** Work, timer and wait callbacks running or queued. */
    int callbacksInFlight() {
        return callbacksInFlight.get();
    }
}

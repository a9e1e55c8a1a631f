package io.pxj.runtime.windows;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.spi.WaitTask;
import io.pxj.win32.PoolWait;
import io.pxj.win32.WaitCallback;
import io.pxj.win32.WindowsException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link io.pxj.runtime.spi.Backend#waitFor} on a thread-pool wait (TP_WAIT) for a {@link WindowsEvent}'s
 * kernel handle. The task runs at most once (signalled or timed out); the wait object is then closed from
 * another pool callback (never from its own). {@link #cancel()} disarms, waits for a running callback and closes.
 *
 * <p>Threading: thread-safe; {@link #cancel()} idempotent.
 */
final class EventWait implements Cancellable, WaitCallback {
    private static final ThreadLocal<EventWait> IN_CALLBACK = new ThreadLocal<>();

    private final WindowsBackend backend;
    private final WaitTask task;
    private volatile PoolWait wait;
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    EventWait(WindowsBackend backend, WaitTask task) {
        this.backend = backend;
        this.task = task;
    }

    void start(WindowsEvent event, long timeoutNanos) throws WindowsException {
        PoolWait w = backend.pool.createWait(this);
        wait = w;
        w.set(event.handle, timeoutNanos < 0 ? null : Duration.ofNanos(timeoutNanos));
    }

    @Override
    public void onWait(int waitResult) {
        WindowsBackend prev = backend.enterCallback();
        EventWait outer = IN_CALLBACK.get();
        IN_CALLBACK.set(this);
        try {
            if (!done.compareAndSet(false, true)) { return; }
            try {
                task.run(waitResult == WAIT_TIMEOUT);
            } catch (Throwable t) {
                WindowsBackend.LOG.error("wait task failed", t);
            }
            backend.submitInternal(this::closeWait);
        } finally {
            IN_CALLBACK.set(outer);
            backend.exitCallback(prev);
        }
    }

    @Override
    public void cancel() {
        if (!done.compareAndSet(false, true)) { return; }
        PoolWait w = wait;
        if (w == null) { return; }
        w.stop();
        if (IN_CALLBACK.get() == this) { backend.submitInternal(this::closeWait); }
        else { closeWait(); }
    }

    private void closeWait() {
        if (closed.compareAndSet(false, true)) {
            PoolWait w = wait;
            w.stop();
            w.waitForCallbacks(true);
            w.close();
            backend.waitClosed(this);
        }
    }
}

package io.pxj.runtime.nio;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.spi.BackendEvent;
import io.pxj.runtime.spi.WaitTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A manual-reset event with waiters: {@link #set} releases every current waiter (each runs once on a loop);
 * waits registered while the event is set fire at once.
 *
 * <p>Threading: thread-safe; the waiter list is guarded by this object's monitor (waits are not a hot path),
 * and waiters run outside it.
 */
final class NioEvent implements BackendEvent {
    private final NioBackend backend;
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean set;
    private boolean closed;

    NioEvent(NioBackend backend) {
        this.backend = backend;
    }

    private final class Waiter implements Cancellable {
        final WaitTask task;
        final AtomicBoolean done = new AtomicBoolean();
        volatile Cancellable timeout;

        Waiter(WaitTask task) {
            this.task = task;
        }

        void fire(boolean timedOut) {
            if (!done.compareAndSet(false, true)) { return; }
            Cancellable t = timeout;
            if (t != null) { t.cancel(); }
            backend.execute(() -> task.run(timedOut));
        }

        @Override
        public void cancel() {
            if (!done.compareAndSet(false, true)) { return; }
            Cancellable t = timeout;
            if (t != null) { t.cancel(); }
            synchronized (NioEvent.this) {
                waiters.remove(this);
            }
        }
    }

    Cancellable waitFor(long timeoutNanos, WaitTask task) {
        Waiter w = new Waiter(task);
        boolean now;
        synchronized (this) {
            if (closed) { throw new IllegalStateException("event is closed"); }
            now = set;
            if (!now) { waiters.add(w); }
        }
        if (now) {
            w.fire(false);
            return w;
        }
        if (timeoutNanos >= 0) {
            w.timeout = backend.schedule(() -> {
                synchronized (NioEvent.this) {
                    waiters.remove(w);
                }
                w.fire(true);
            }, timeoutNanos, 0);
            if (w.done.get()) { w.timeout.cancel(); } // set() won the race before the timeout was known
        }
        return w;
    }

    @Override
    public void set() {
        List<Waiter> release;
        synchronized (this) {
            if (set || closed) { return; }
            set = true;
            release = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : release) { w.fire(false); }
    }

    @Override
    public synchronized void reset() {
        set = false;
    }

    @Override
    public synchronized boolean isSet() {
        return set;
    }

    @Override
    public void close() {
        List<Waiter> drop;
        synchronized (this) {
            if (closed) { return; }
            closed = true;
            drop = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : drop) { w.cancel(); } // they never fire: nobody can set a closed event
    }
}

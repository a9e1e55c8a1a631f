package io.pxj.runtime.windows;

import io.pxj.runtime.spi.MainQueue;
import io.pxj.win32.CompletionPort;
import io.pxj.win32.CompletionResult;
import io.pxj.win32.WindowsException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The main thread's queue on an I/O completion port. Tasks live in a Java queue; the port only carries wake-up
 * packets (key 0, no OVERLAPPED): no Java identity ever goes through the kernel.
 *
 * <p>Posting costs no system call unless the main thread is blocked in GetQueuedCompletionStatus: the main
 * thread sets {@code waiting} before it re-checks the queue and blocks, and a producer posts a packet only if it
 * clears that flag (so at most one packet per wait). A packet left over from an earlier wait only causes one
 * spurious wake-up, after which the main thread re-checks and waits again.
 *
 * <p>Threading: {@link #post} and {@link #size} from any thread; {@link #drain} from the main thread only.
 * After {@link #closePort()} (backend shutdown) tasks still run: {@link #drain} then waits by parking, because the
 * core drains its main queue once more after the backend is closed.
 */
final class IocpMainQueue implements MainQueue {
    private final CompletionPort port;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final CompletionResult result = new CompletionResult(); // main thread only
    private volatile Thread parked;

    IocpMainQueue(CompletionPort port) {
        this.port = port;
    }

    @Override
    public void post(Runnable task) {
        if (task == null) throw new NullPointerException("task");
        tasks.offer(task);
        size.incrementAndGet();
        if (waiting.get() && waiting.compareAndSet(true, false)) wake();
    }

    private void wake() {
        if (port.isClosed()) {
            Thread t = parked;
            if (t != null) LockSupport.unpark(t);
            return;
        }
        try {
            port.post(0, 0, 0);
        } catch (WindowsException | RuntimeException e) {
            WindowsBackend.LOG.debug("main queue wake-up failed: {}", e.toString());
            Thread t = parked;
            if (t != null) LockSupport.unpark(t);
        }
    }

    @Override
    public int drain(long timeoutNanos) throws InterruptedException {
        int ran = runQueued();
        if (ran > 0 || timeoutNanos <= 0) return ran;
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            if (Thread.interrupted()) throw new InterruptedException();
            waiting.set(true);
            if (!tasks.isEmpty()) {
                waiting.set(false);
                return runQueued();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                waiting.set(false);
                return 0;
            }
            await(left);
            waiting.set(false);
            if (!tasks.isEmpty()) return runQueued();
        }
    }

    private void await(long nanos) {
        if (!port.isClosed()) {
            int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 1L, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
            try {
                CompletionPort.DequeueStatus st = port.dequeue(result, ms);
                if (st != CompletionPort.DequeueStatus.CLOSED) return;
            } catch (WindowsException | RuntimeException e) {
                WindowsBackend.LOG.debug("main queue dequeue failed: {}", e.toString());
            }
        }
        parked = Thread.currentThread();
        try {
            if (tasks.isEmpty()) LockSupport.parkNanos(this, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(10)));
        } finally {
            parked = null;
        }
    }

    /** Runs the tasks queued now (not those they queue). Task exceptions propagate (MainQueue contract). */
    private int runQueued() {
        int n = Math.max(size.get(), tasks.isEmpty() ? 0 : 1);
        int ran = 0;
        while (ran < n) {
            Runnable r = tasks.poll();
            if (r == null) break;
            size.decrementAndGet();
            ran++;
            r.run();
        }
        return ran;
    }

    @Override
    public int size() {
        return size.get();
    }

    void closePort() {
        port.close();
        Thread t = parked;
        if (t != null) LockSupport.unpark(t);
    }
}

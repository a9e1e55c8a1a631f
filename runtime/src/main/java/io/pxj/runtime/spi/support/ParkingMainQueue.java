package io.pxj.runtime.spi.support;

import io.pxj.runtime.spi.MainQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link MainQueue} on a lock-free queue with park/unpark wake-ups (the portable stand-in for an I/O completion
 * port). Posting never blocks and only unparks when the main thread is actually waiting, so a busy main thread
 * costs producers no syscall.
 *
 * <p>Threading: {@link #post} and {@link #size} from any thread; {@link #drain} from one thread at a time (the
 * main thread). The lost-wake-up race is closed by publishing {@code waiter} before re-checking the queue: a
 * producer that offers after that re-check sees the waiter and unparks it, and an unpark that precedes the park
 * makes the park return at once.
 */
public final class ParkingMainQueue implements MainQueue {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile Thread waiter;

    @Override
    public void post(Runnable task) {
        if (task == null) { throw new NullPointerException("task"); }
        tasks.offer(task);
        size.incrementAndGet();
        Thread w = waiter;
        if (w != null) { LockSupport.unpark(w); }
    }

    @Override
    public int drain(long timeoutNanos) throws InterruptedException {
        int ran = runQueued();
        if (ran > 0 || timeoutNanos <= 0) { return ran; }
        long deadline = System.nanoTime() + timeoutNanos;
        Thread me = Thread.currentThread();
        waiter = me;
        try {
            while (tasks.isEmpty()) {
                if (Thread.interrupted()) { throw new InterruptedException(); }
                long left = deadline - System.nanoTime();
                if (left <= 0) { return 0; }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            waiter = null;
        }
        return runQueued();
    }

    /** Runs the tasks queued now (not those they queue, so a task that re-posts itself cannot starve the caller). */
    private int runQueued() {
        int n = size.get();
        if (n == 0 && !tasks.isEmpty()) { n = 1; } // a post between its offer and its size increment
        int ran = 0;
        while (ran < n) {
            Runnable r = tasks.poll();
            if (r == null) { break; }
            size.decrementAndGet();
            ran++;
            r.run(); // exceptions propagate to the caller per the MainQueue contract; the task is already removed
        }
        return ran;
    }

    @Override
    public int size() {
        return size.get();
    }
}

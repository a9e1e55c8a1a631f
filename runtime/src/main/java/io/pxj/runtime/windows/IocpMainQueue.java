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
 *
 * <p>Every use of the port handle (a wake-up post, the main thread's dequeue) is a lease on {@link #portUsers}, and
 * {@link #closePort()} first forbids new leases, then waits for the current ones (kicking a blocked dequeue with
 * one packet) before it closes the handle: no post or dequeue can reach a closed, possibly reused, handle value.
 */
final class IocpMainQueue implements MainQueue {
    private final CompletionPort port;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final CompletionResult result = new CompletionResult(); // main thread only
    private volatile Thread parked;
    /** {@link #PORT_CLOSED} once {@link #closePort()} began; low bits: threads inside a port call. */
    private final AtomicInteger portUsers = new AtomicInteger();
    private static final int PORT_CLOSED = 1 << 30;

    IocpMainQueue(CompletionPort port) {
        this.port = port;
    }

    @Override
    public void post(Runnable task) {
        if (task == null) { throw new NullPointerException("task"); }
        tasks.offer(task);
        size.incrementAndGet();
        if (waiting.get() && waiting.compareAndSet(true, false)) { wake(); }
    }

    /** Wakes the main thread: a packet on the port, or an unpark once the port is closed. Any thread. */
    void wake() {
        if (enterPort()) {
            try {
                if (!port.isClosed()) {
                    port.post(0, 0, 0);
                    return;
                }
            } catch (WindowsException | RuntimeException e) {
                WindowsBackend.LOG.debug("main queue wake-up failed: {}", e.toString());
            } finally {
                exitPort();
            }
        }
        Thread t = parked;
        if (t != null) { LockSupport.unpark(t); }
    }

    /** Takes a lease on the port handle; false once {@link #closePort()} began (then do not touch the port). */
    private boolean enterPort() {
        for (;;) {
            int s = portUsers.get();
            if ((s & PORT_CLOSED) != 0) { return false; }
            if (portUsers.compareAndSet(s, s + 1)) { return true; }
        }
    }

    private void exitPort() {
        portUsers.decrementAndGet();
    }

    @Override
    public int drain(long timeoutNanos) throws InterruptedException {
        int ran = runQueued();
        if (ran > 0 || timeoutNanos <= 0) { return ran; }
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            if (Thread.interrupted()) { throw new InterruptedException(); }
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
            if (!tasks.isEmpty()) { return runQueued(); }
        }
    }

    private void await(long nanos) {
        if (enterPort()) {
            try {
                if (!port.isClosed()) {
                    int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 1L,
                            TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
                    CompletionPort.DequeueStatus st = port.dequeue(result, ms);
                    if (st != CompletionPort.DequeueStatus.CLOSED) { return; }
                }
            } catch (WindowsException | RuntimeException e) {
                WindowsBackend.LOG.debug("main queue dequeue failed: {}", e.toString());
            } finally {
                exitPort();
            }
        }
        parked = Thread.currentThread();
        try {
            if (tasks.isEmpty()) { LockSupport.parkNanos(this, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(10))); }
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
            if (r == null) { break; }
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

    /**
     * Closes the port once no post or dequeue is using it (idempotent, any thread but never from inside a port
     * call of this queue). A main thread blocked in the dequeue is woken with one packet first.
     */
    void closePort() {
        int before = portUsers.getAndUpdate(s -> s | PORT_CLOSED);
        if ((before & PORT_CLOSED) == 0) {
            boolean kicked = false;
            while ((portUsers.get() & ~PORT_CLOSED) != 0) {
                if (!kicked) {
                    kicked = true;
                    try {
                        port.post(0, 0, 0); // we hold the only right to the handle now; it is still open
                    } catch (WindowsException | RuntimeException e) {
                        WindowsBackend.LOG.debug("main queue close kick failed: {}", e.toString());
                    }
                }
                LockSupport.parkNanos(100_000L);
            }
            port.close();
        }
        Thread t = parked;
        if (t != null) { LockSupport.unpark(t); }
    }
}

package io.pxj.win32;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Detaches a thread pool's threads from the JVM from inside ordinary callbacks, before the pool is closed.
 *
 * <p>Why: pool threads stay attached to the JVM between callbacks (JNA's CallbackThreadInitializer with
 * detach = false, to avoid an attach per callback). JNA then detaches a thread when it exits, from
 * DllMain(DLL_THREAD_DETACH), i.e. under the loader lock; if a safepoint is pending at that moment the detach
 * blocks with the loader lock held, and any thread that needs the loader lock (starting a thread, loading a
 * library, the VM thread itself) deadlocks the process (JNA issue #1479). A callback that calls
 * {@code Native.detach(true)} is detached by JNA when it returns, on the ordinary return path, where waiting for
 * a safepoint is harmless. So before CloseThreadpool ends the threads, one such callback runs on each of them.
 *
 * <p>How: {@code threads} callbacks are submitted; each requests its detach, then waits until all have started
 * (bounded), so no thread can take two of them while others are still queued and each lands on a distinct thread.
 * With the pool's maximum equal to {@code threads}, every thread that ever ran Java code gets one. Residual: if the
 * pool cannot run them all within the bound (threads busy or not yet created), a thread may be missed; it is then
 * detached at its exit as before.
 *
 * <p>Pure Java (the submitter and the detach request are given), so it is unit-tested on any OS.
 */
final class DetachRound {
    private DetachRound() {
    }

    /**
     * @param threads   callbacks to run (the pool's maximum thread count)
     * @param submit    submits one callback to the pool; false if refused
     * @param detach    requests the current thread's detach when its callback returns ({@code Native.detach(true)})
     * @param timeoutMs bound for all callbacks to start, and again for all to return
     * @return callbacks that ran and requested their detach
     */
    static int run(int threads, Predicate<Runnable> submit, Runnable detach, long timeoutMs) {
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch done = new CountDownLatch(threads);
        int[] detached = new int[1];
        int submitted = 0;
        for (int i = 0; i < threads; i++) {
            Runnable cb = () -> {
                try {
                    detach.run();
                    synchronized (detached) {
                        detached[0]++;
                    }
                    started.countDown();
                    started.await(timeoutMs, TimeUnit.MILLISECONDS); // keeps this thread from taking another one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            };
            if (submit.test(cb)) {
                submitted++;
            } else {
                started.countDown();
                done.countDown();
            }
        }
        try {
            done.await(2 * timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (detached) {
            return Math.min(detached[0], submitted);
        }
    }
}

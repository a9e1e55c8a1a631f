package io.pxj.win32.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.PoolTimer;
import io.pxj.win32.PoolWait;
import io.pxj.win32.PoolWork;
import io.pxj.win32.ThreadPool;
import io.pxj.win32.WaitCallback;
import io.pxj.win32.Windows;
import io.pxj.win32.WindowsApi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

@EnabledIf(value = "io.pxj.win32.Windows#isAvailable", disabledReason = "needs Windows, or the Wine bridge"
        + " (-Dpxj.win32.bridge=wine, as the wine-test execution of the build sets it)")
class ThreadPoolWindowsTest {

    @Test
    void tenThousandSubmittedCallbacksAllRunOnAttachedDaemonPoolThreads() throws Exception {
        int n = 10_000;
        CountDownLatch done = new CountDownLatch(n);
        Set<String> threadProblems = ConcurrentHashMap.newKeySet();
        try (ThreadPool pool = Windows.api().createThreadPool(2, 8)) {
            for (int i = 0; i < n; i++) {
                assertTrue(pool.trySubmit(() -> {
                    Thread t = Thread.currentThread();
                    if (!t.isDaemon() || !t.getName().startsWith("pxj-pool")) {
                        threadProblems.add(t.getName() + " daemon=" + t.isDaemon());
                    }
                    done.countDown();
                }));
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "ran " + (n - done.getCount()) + " of " + n);
            assertTrue(threadProblems.isEmpty(), threadProblems::toString);
        }
    }

    @Test
    void aThrowingCallbackIsContainedAndCounted() throws Exception {
        try (ThreadPool pool = Windows.api().createThreadPool(1, 2)) {
            long before = pool.callbackFailures();
            CountDownLatch after = new CountDownLatch(1);
            assertTrue(pool.trySubmit(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            }));
            Thread.sleep(200);
            assertTrue(pool.trySubmit(after::countDown));
            assertTrue(after.await(10, TimeUnit.SECONDS));
            assertEquals(before + 1, pool.callbackFailures());
        }
    }

    @Test
    void workRunsOncePerSubmit() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (ThreadPool pool = Windows.api().createThreadPool(2, 4)) {
            PoolWork work = pool.createWork(runs::incrementAndGet);
            for (int i = 0; i < 100; i++) {
                work.submit();
            }
            work.waitForCallbacks(false);
            assertEquals(100, runs.get());
            work.close();
            work.close();
            assertTrue(work.isClosed());
            assertThrows(IllegalStateException.class, work::submit);
        }
    }

    @Test
    void timerFiresNTimesThenStops() throws Exception {
        int n = 5;
        AtomicInteger fired = new AtomicInteger();
        CountDownLatch latch = new CountDownLatch(n);
        try (ThreadPool pool = Windows.api().createThreadPool(1, 2)) {
            PoolTimer timer = pool.createTimer(() -> {
                fired.incrementAndGet();
                latch.countDown();
            });
            timer.set(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ZERO);
            assertTrue(timer.isSet());
            assertTrue(latch.await(10, TimeUnit.SECONDS), "fired " + fired.get() + " of " + n);
            timer.stop();
            timer.waitForCallbacks(false);
            assertFalse(timer.isSet());
            int atStop = fired.get();
            Thread.sleep(200);
            assertEquals(atStop, fired.get(), "fired after stop()");
            timer.close();
            timer.close();
        }
    }

    @Test
    void waitFiresOnSignalAndOnTimeout() throws Exception {
        WindowsApi api = Windows.api();
        BlockingQueue<Integer> results = new ArrayBlockingQueue<>(4);
        long event = api.createEvent(true, false);
        try (ThreadPool pool = api.createThreadPool(1, 2)) {
            PoolWait wait = pool.createWait(results::add);
            wait.set(event, null);
            api.setEvent(event);
            assertEquals(WaitCallback.WAIT_OBJECT_0, results.poll(10, TimeUnit.SECONDS));
            long never = api.createEvent(true, false);
            try {
                wait.set(never, Duration.ofMillis(50));
                assertEquals(WaitCallback.WAIT_TIMEOUT, results.poll(10, TimeUnit.SECONDS));
            } finally {
                wait.close();
                api.closeHandle(never);
            }
        } finally {
            api.closeHandle(event);
        }
    }

    @Test
    void closingThePoolClosesItsMembersAndEverythingIsIdempotent() throws Exception {
        ThreadPool pool = Windows.api().createThreadPool(1, 2);
        PoolWork work = pool.createWork(() -> { });
        PoolTimer timer = pool.createTimer(() -> { });
        timer.set(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO);
        pool.close(); // closes work and timer through the cleanup group
        pool.close();
        assertTrue(pool.isClosed());
        assertTrue(work.isClosed());
        assertTrue(timer.isClosed());
        work.close(); // no double CloseThreadpoolWork
        timer.close();
        assertFalse(pool.trySubmit(() -> { }));
        assertThrows(IllegalStateException.class, () -> pool.createWork(() -> { }));
    }
}

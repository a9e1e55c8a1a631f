package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** One detach request per pool thread, each on a distinct thread, before the pool is closed. */
class DetachRoundTest {
    @Test
    void everyThreadOfAFixedPoolRequestsItsDetachExactlyOnce() throws Exception {
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            Set<Thread> detached = ConcurrentHashMap.newKeySet();
            int[] requests = {0};
            int ran = DetachRound.run(n, r -> {
                pool.execute(r);
                return true;
            }, () -> {
                synchronized (requests) {
                    requests[0]++;
                }
                detached.add(Thread.currentThread());
            }, 2000);
            assertEquals(n, ran);
            assertEquals(n, requests[0]);
            assertEquals(n, detached.size(), "each callback on its own thread");
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusedSubmissionsDoNotHoldTheRoundUp() {
        long t0 = System.nanoTime();
        int ran = DetachRound.run(3, r -> false, () -> { }, 5000);
        assertEquals(0, ran);
        assertEquals(true, System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void aPoolWithFewerThreadsThanCallbacksFinishesWithinTheBound() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            int ran = DetachRound.run(2, r -> {
                try {
                    pool.execute(r);
                    return true;
                } catch (RejectedExecutionException e) {
                    return false;
                }
            }, () -> { }, 200);
            assertEquals(2, ran); // the second ran after the first gave up waiting
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

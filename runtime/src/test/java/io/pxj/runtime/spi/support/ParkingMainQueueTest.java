package io.pxj.runtime.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ParkingMainQueueTest {
    final ParkingMainQueue q = new ParkingMainQueue();

    @Test
    void runsQueuedTasksInOrder() throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int v = i;
            q.post(() -> out.add(v));
        }
        assertEquals(5, q.size());
        assertEquals(5, q.drain(0));
        assertEquals(List.of(0, 1, 2, 3, 4), out);
        assertEquals(0, q.size());
    }

    @Test
    void waitsUpToTimeoutWhenEmpty() throws Exception {
        long t0 = System.nanoTime();
        assertEquals(0, q.drain(TimeUnit.MILLISECONDS.toNanos(50)));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(45));
    }

    @Test
    void postFromAnotherThreadWakesTheWaiter() throws Exception {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException ignored) {
                // ignore
            }
            q.post(() -> {});
        });
        t.start();
        long t0 = System.nanoTime();
        assertEquals(1, q.drain(TimeUnit.SECONDS.toNanos(5)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
        t.join();
    }

    @Test
    void taskExceptionPropagatesAfterRemoval() throws Exception {
        q.post(() -> {
            throw new IllegalStateException("boom");
        });
        q.post(() -> {});
        assertThrows(IllegalStateException.class, () -> q.drain(0));
        assertEquals(1, q.size());
        assertEquals(1, q.drain(0));
    }

    @Test
    void aTaskThatRepostsDoesNotStarveTheCaller() throws Exception {
        Runnable[] self = new Runnable[1];
        self[0] = () -> q.post(self[0]);
        q.post(self[0]);
        assertEquals(1, q.drain(0));
        assertEquals(1, q.size());
    }
}

package io.pxj.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MpmcArrayQueueTest {
    @Test
    void boundedFifo() {
        MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(3);
        assertEquals(4, q.capacity());
        for (int i = 0; i < 4; i++) assertTrue(q.offer(i));
        assertFalse(q.offer(9));
        for (int i = 0; i < 4; i++) assertEquals(i, q.poll());
        assertNull(q.poll());
    }

    @Test
    void concurrentProducersAndConsumersLoseNothing() throws Exception {
        MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(64);
        int per = 5_000;
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        AtomicInteger consumed = new AtomicInteger();
        Thread[] ts = new Thread[4];
        for (int p = 0; p < 2; p++) {
            int base = p * per;
            ts[p] = new Thread(() -> {
                for (int i = 0; i < per; i++) while (!q.offer(base + i)) Thread.onSpinWait();
            });
        }
        for (int c = 2; c < 4; c++) {
            ts[c] = new Thread(() -> {
                while (consumed.get() < 2 * per) {
                    Integer v = q.poll();
                    if (v == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    seen.put(v, Boolean.TRUE);
                    consumed.incrementAndGet();
                }
            });
        }
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join(10_000);
        assertEquals(2 * per, seen.size());
    }
}

package io.pxj.runtime.spi.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StripedCounterTest {
    @Test
    void ownersAndOtherThreadsAddUpExactly() throws InterruptedException {
        StripedCounter c = new StripedCounter();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(new OwnerThread(() -> { for (int k = 0; k < 100_000; k++) c.increment(); }));
            ts.add(new Thread(() -> { for (int k = 0; k < 100_000; k++) c.add(2); }));
        }
        for (Thread t : ts) t.start();
        long seen = 0;
        while (ts.stream().anyMatch(Thread::isAlive)) { // sums taken meanwhile never go backwards
            long s = c.sum();
            assertEquals(true, s >= seen, s + " < " + seen);
            seen = s;
        }
        for (Thread t : ts) t.join();
        assertEquals(4 * 100_000 + 4 * 200_000, c.sum());
    }

    @Test
    void aReusedSlotKeepsWhatItsPreviousOwnerCounted() throws InterruptedException {
        StripedCounter c = new StripedCounter();
        for (int round = 0; round < 3 * StripedCounter.SLOTS; round++) { // more threads than slots, one at a time
            Thread t = new OwnerThread(() -> c.add(5));
            t.start();
            t.join();
        }
        assertEquals(3L * StripedCounter.SLOTS * 5, c.sum());
    }

    @Test
    void whenSlotsRunOutTheAdderTakesOver() throws InterruptedException {
        StripedCounter c = new StripedCounter();
        List<Integer> held = new ArrayList<>();
        int s;
        while ((s = StripedCounter.claimSlot()) >= 0) held.add(s);
        try {
            OwnerThread t = new OwnerThread(() -> c.add(7));
            assertEquals(-1, t.slot);
            t.start();
            t.join();
            assertEquals(7, c.sum());
        } finally {
            for (int h : held) StripedCounter.releaseSlot(h);
        }
    }
}

package io.pxj.runtime.spi.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemberTableTest {
    static final class M extends MemberTable.Member {
        final int n;

        M(int n) {
            this.n = n;
        }
    }

    private static Set<M> members(MemberTable<M> t) {
        Set<M> viaForEach = Collections.newSetFromMap(new IdentityHashMap<>());
        t.forEach(viaForEach::add);
        Set<M> viaIterator = Collections.newSetFromMap(new IdentityHashMap<>());
        for (M m : t) {
            assertTrue(viaIterator.add(m), "each member once");
        }
        assertEquals(viaForEach, viaIterator);
        return viaIterator;
    }

    @Test
    void addRemoveAndWalk() {
        MemberTable<M> t = new MemberTable<>();
        assertTrue(t.isEmpty());
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            M m = new M(i);
            ms.add(m);
            t.add(m);
        }
        assertEquals(100, t.size());
        assertEquals(new HashSet<>(ms), new HashSet<>(members(t)));
        for (int i = 0; i < 100; i += 2) {
            assertTrue(t.remove(ms.get(i)));
            assertFalse(t.remove(ms.get(i)), "a second remove is refused");
            assertEquals(-1, ms.get(i).tablePosition());
        }
        assertEquals(50, t.size());
        for (M m : members(t)) {
            assertEquals(1, m.n % 2);
        }
        // freed positions are reused: the stripe does not grow past its high-water mark
        M again = new M(1000);
        t.add(again);
        assertTrue((again.tablePosition() & 0xFFFFFF) < 100);
        for (M m : ms) {
            t.remove(m);
        }
        t.remove(again);
        assertTrue(t.isEmpty());
        assertFalse(t.iterator().hasNext());
    }

    @Test
    void aMemberIsInOneTableAtATime() {
        MemberTable<M> a = new MemberTable<>();
        MemberTable<M> b = new MemberTable<>();
        M m = new M(1);
        a.add(m);
        assertThrows(IllegalStateException.class, () -> b.add(m));
        assertFalse(b.remove(m), "not b's member");
        assertTrue(a.remove(m));
        b.add(m);
        assertEquals(1, b.size());
    }

    @Test
    void loopsAndOtherThreadsAddAndRemoveConcurrentlyWhileAWalkRuns() throws InterruptedException {
        MemberTable<M> t = new MemberTable<>();
        ConcurrentLinkedQueue<M> kept = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int base = k * 100_000;
            Runnable r = () -> {
                List<M> mine = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    M m = new M(base + i);
                    t.add(m);
                    mine.add(m);
                    if (i % 3 == 0) {
                        assertTrue(t.remove(mine.remove(mine.size() - 1)));
                    }
                }
                kept.addAll(mine);
            };
            ts.add(k % 2 == 0 ? new OwnerThread(r) : new Thread(r));
        }
        ConcurrentLinkedQueue<String> walkErrors = new ConcurrentLinkedQueue<>();
        Thread walker = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                Set<M> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                t.forEach(m -> {
                    if (!seen.add(m)) {
                        walkErrors.add("member " + m.n + " seen twice in one walk");
                    }
                });
            }
        });
        ts.forEach(Thread::start);
        walker.start();
        for (Thread th : ts) {
            th.join();
        }
        walker.join();
        assertEquals(List.of(), List.copyOf(walkErrors));
        assertEquals(kept.size(), t.size());
        Set<M> expected = Collections.newSetFromMap(new IdentityHashMap<>());
        expected.addAll(kept);
        assertEquals(expected, members(t));
        // removal from a thread other than the one that added
        for (M m : kept) {
            assertTrue(t.remove(m));
        }
        assertTrue(t.isEmpty());
    }
}

package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link StripedLongMap} (behind {@link OpRegistry}) against a HashMap model, and under concurrent use. */
class StripedLongMapTest {

    /** One map operation: 0 putIfAbsent, 1 remove(same value), 2 remove(other value), 3 get. */
    record Step(int op, long key) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // Few distinct keys, aligned like OVERLAPPED addresses: many collisions, removals inside probe runs.
        Arbitrary<Long> keys = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 300).map(i -> 0x7ff0_0000_0000L + 64L * i),
                Arbitraries.longs());
        return Combinators.combine(Arbitraries.integers().between(0, 3), keys).as(Step::new).list().ofMaxSize(600);
    }

    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll("steps") List<Step> steps) {
        StripedLongMap<Object> map = new StripedLongMap<>();
        Map<Long, Object> model = new HashMap<>();
        for (Step s : steps) {
            switch (s.op()) {
                case 0 -> {
                    Object v = new Object();
                    Object expected = model.putIfAbsent(s.key(), v);
                    assertSame(expected, map.putIfAbsent(s.key(), v));
                }
                case 1 -> {
                    Object v = model.get(s.key());
                    boolean expected = v != null && model.remove(s.key(), v);
                    assertEquals(expected, v != null && map.remove(s.key(), v));
                }
                case 2 -> assertFalse(map.remove(s.key(), new Object()), "remove with another value removes nothing");
                default -> assertSame(model.get(s.key()), map.get(s.key()));
            }
            assertEquals(model.size(), map.size());
        }
        for (Map.Entry<Long, Object> e : model.entrySet()) assertSame(e.getValue(), map.get(e.getKey()));
        Set<Object> seen = new HashSet<>();
        map.forEachValue(seen::add);
        assertEquals(new HashSet<>(model.values()), seen);
    }

    @Property(tries = 50)
    void everythingAddedThenRemovedLeavesItEmpty(@ForAll @Size(max = 2000) List<Long> keys) {
        StripedLongMap<Long> map = new StripedLongMap<>();
        Map<Long, Long> model = new HashMap<>();
        for (long k : keys) {
            Long v = k; // a distinct box per entry: identity is what remove compares
            if (model.putIfAbsent(k, v) == null) assertNull(map.putIfAbsent(k, v));
        }
        for (Map.Entry<Long, Long> e : model.entrySet()) assertTrue(map.remove(e.getKey(), e.getValue()));
        assertEquals(0, map.size());
        for (long k : keys) assertNull(map.get(k));
    }

    @Test
    void zeroAndNegativeKeysAreOrdinaryKeys() {
        StripedLongMap<String> map = new StripedLongMap<>();
        assertNull(map.putIfAbsent(0, "zero"));
        assertNull(map.putIfAbsent(-1, "minus one"));
        assertEquals("zero", map.get(0));
        assertEquals("minus one", map.get(-1));
        assertNull(map.get(1));
        assertThrows(NullPointerException.class, () -> map.putIfAbsent(5, null));
    }

    @Test
    void concurrentRegisterLookupUnregisterNeverLosesOrInventsAnEntry() throws Exception {
        StripedLongMap<long[]> map = new StripedLongMap<>();
        int threads = 4;
        int perThread = 20_000;
        // Long-lived entries that readers must always find, while writers churn others around them.
        List<long[]> stable = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long[] v = {0x1000_0000L + 48L * i};
            stable.add(v);
            assertNull(map.putIfAbsent(v[0], v));
        }
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong lookups = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = 0x2000_0000L + (long) t * 0x100_0000L;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        long key = base + 16L * r.nextInt(256); // this thread's own key range
                        long[] mine = {key};
                        Object prev = map.putIfAbsent(key, mine);
                        if (prev == null) {
                            if (map.get(key) != mine) throw new AssertionError("own entry not found: " + key);
                            if (!map.remove(key, mine)) throw new AssertionError("own entry not removed: " + key);
                        } else if (((long[]) prev)[0] != key) {
                            throw new AssertionError("wrong entry for " + key);
                        } else {
                            // Left by this thread? Not possible: every add is removed at once.
                            throw new AssertionError("stale entry for " + key);
                        }
                        long[] s = stable.get(r.nextInt(stable.size()));
                        if (map.get(s[0]) != s) throw new AssertionError("stable entry lost: " + s[0]);
                        if (map.get(base - 8) != null) throw new AssertionError("entry invented");
                        lookups.addAndGet(2);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : ts) th.join(60_000);
        assertTrue(errors.isEmpty(), () -> errors.peek().toString());
        assertEquals(stable.size(), map.size());
        assertEquals(2L * threads * perThread, lookups.get());
        for (long[] s : stable) assertSame(s, map.get(s[0]));
    }

    @Test
    void opRegistryRejectsDuplicatesRemovesOnlyTheSameOpAndCountsPending() {
        OpRegistry reg = new OpRegistry();
        IoOp a = new IoOp(IoOp.Kind.RECV, reg);
        IoOp b = new IoOp(IoOp.Kind.SEND, reg);
        try {
            assertEquals(2, reg.size());
            assertSame(a, reg.get(a.address()));
            assertNull(reg.get(a.address() ^ 0x10_0000L));
            IllegalStateException dup = assertThrows(IllegalStateException.class, () -> reg.register(a));
            assertTrue(dup.getMessage().contains("registered twice"), dup.getMessage());
            assertEquals(0, reg.pending());
            assertEquals(2, reg.snapshot().size());
            OpRegistry other = new OpRegistry();
            IoOp c = new IoOp(IoOp.Kind.RECV, other);
            try {
                reg.unregister(c); // an address this registry does not hold (or holds for another op)
                assertEquals(2, reg.size());
            } finally {
                c.retire();
            }
            assertNotNull(reg.get(b.address()));
        } finally {
            a.retire();
            b.retire();
        }
        assertEquals(0, reg.size());
    }
}

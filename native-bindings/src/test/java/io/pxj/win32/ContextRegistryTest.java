package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class ContextRegistryTest {
    @Test
    void registerGetRelease() {
        ContextRegistry<String> r = new ContextRegistry<>(3);
        long a = r.register("a");
        long b = r.register("b");
        assertNotEquals(0, a);
        assertEquals(3, ContextRegistry.kindOf(a));
        assertSame("a", r.get(a));
        assertSame("b", r.get(b));
        assertEquals(2, r.size());
        assertSame("a", r.release(a));
        assertNull(r.release(a)); // idempotent
        assertNull(r.get(a));
        assertEquals(1, r.size());
    }

    @Test
    void aStaleContextMissesTheSlotsNextOccupant() {
        ContextRegistry<String> r = new ContextRegistry<>(1);
        long old = r.register("old");
        r.release(old);
        long fresh = r.register("new"); // same slot, next generation
        assertEquals((int) old, (int) fresh);
        assertNull(r.get(old));
        assertSame("new", r.get(fresh));
    }

    @Test
    void otherKindsAndGarbageMiss() {
        ContextRegistry<String> r = new ContextRegistry<>(1);
        long c = r.register("x");
        assertNull(new ContextRegistry<String>(2).get(c));
        assertNull(r.get(0));
        assertNull(r.get(c + 1_000_000));
        assertNull(r.get(-1));
    }

    @Test
    void growsAndReusesSlots() {
        ContextRegistry<Integer> r = new ContextRegistry<>(5);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(r.register(i));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, r.get(ids.get(i)));
        }
        for (long id : ids) {
            r.release(id);
        }
        assertEquals(0, r.size());
        long again = r.register(7);
        assertEquals(7, r.get(again));
    }

    @Test
    void relativeDueTimesAreNegativeHundredNanosecondUnitsRoundedUp() {
        assertEquals(0, NativeThreadPool.relativeFiletime(0));
        assertEquals(-1, NativeThreadPool.relativeFiletime(1));
        assertEquals(-1, NativeThreadPool.relativeFiletime(100));
        assertEquals(-2, NativeThreadPool.relativeFiletime(101));
        assertEquals(-10_000_000, NativeThreadPool.relativeFiletime(1_000_000_000));
    }
}

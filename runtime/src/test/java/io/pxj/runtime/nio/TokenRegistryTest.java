package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {
    private final TokenRegistry r = new TokenRegistry();

    @Test
    void aReleasedTokenFindsNothingEvenAfterItsSlotIsReused() {
        Object a = new Object();
        Object b = new Object();
        long ta = r.register(a);
        assertNotEquals(0L, ta, "token 0 means none");
        assertSame(a, r.lookup(ta));
        r.release(ta);
        assertNull(r.lookup(ta));
        long tb = r.register(b); // reuses the slot with the next generation
        assertEquals((int) ta, (int) tb, "same slot");
        assertNotEquals(ta, tb);
        assertNull(r.lookup(ta), "the stale token must not reach the slot's new owner");
        assertSame(b, r.lookup(tb));
        r.release(ta); // stale: no effect
        assertSame(b, r.lookup(tb));
        assertEquals(1, r.size());
    }

    @Test
    void growsAndNeverConfusesTokens() {
        List<Object> objects = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Object o = new Object();
            objects.add(o);
            tokens.add(r.register(o));
        }
        for (int i = 0; i < 1000; i += 2) {
            r.release(tokens.get(i));
        }
        assertEquals(500, r.size());
        for (int i = 0; i < 1000; i++) {
            if (i % 2 == 0) { assertNull(r.lookup(tokens.get(i))); }
            else { assertSame(objects.get(i), r.lookup(tokens.get(i))); }
        }
    }

    @Test
    void unknownTokensAndNullAttachments() {
        assertNull(r.lookup(0L));
        assertNull(r.lookup(-1L));
        assertNull(r.lookup((1L << 32) | 77));
        r.release(12345L);
        assertThrows(IllegalArgumentException.class, () -> r.register(null));
    }
    @Test
    void aSlotWhoseGenerationWrapsNeverIssuesTokenZero() throws Exception {
        long t = r.register(new Object()); // slot 0
        r.release(t);
        // 2^32 reuses of one slot (the free list is LIFO, so one busy slot gets them all): jump to the last.
        java.lang.reflect.Field f = TokenRegistry.class.getDeclaredField("generations");
        f.setAccessible(true);
        ((int[]) f.get(r))[0] = -1;
        long last = r.register(new Object());
        assertEquals(0, (int) last, "slot 0 again");
        r.release(last);
        Object o = new Object();
        long wrapped = r.register(o);
        assertNotEquals(0L, wrapped, "token 0 means none");
        assertSame(o, r.lookup(wrapped));
        assertNull(r.lookup(last));
    }
}

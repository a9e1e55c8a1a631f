package io.pxj.runtime.internal;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ContextEscapeException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ArenaPropertiesTest {

    /** Live allocations never overlap: each one keeps exactly the bytes written into it. */
    @Property(tries = 200)
    boolean liveAllocationsDoNotOverlap(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 3000) Integer> sizes) {
        ContextImpl c = ArenaTest.running(ArenaTest.pool(true, 1 << 24));
        List<ArenaBuffer> bufs = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            ArenaBuffer b = c.allocate(sizes.get(i));
            for (int k = 0; k < sizes.get(i); k++) b.put((byte) i);
            bufs.add(b);
        }
        for (int i = 0; i < bufs.size(); i++) {
            ArenaBuffer b = bufs.get(i);
            if (b.length() != sizes.get(i)) return false;
            for (int k = 0; k < b.length(); k++) if (b.get(k) != (byte) i) return false;
        }
        return true;
    }

    /** After rollback every allocation of that generation is invalid and throws; new ones work. */
    @Property(tries = 100)
    boolean everyAllocationInvalidAfterRollback(@ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 5000) Integer> sizes,
                                               @ForAll @IntRange(min = 1, max = 4) int rounds) {
        ArenaPool pool = ArenaTest.pool(true, 1 << 24);
        ContextImpl c = ArenaTest.running(pool);
        for (int r = 0; r < rounds; r++) {
            List<ArenaBuffer> bufs = new ArrayList<>();
            for (int s : sizes) bufs.add(c.allocate(s));
            c.rollback();
            for (ArenaBuffer b : bufs) {
                if (b.isValid()) return false;
                try {
                    b.length();
                    return false;
                } catch (ContextEscapeException expected) {
                    // good
                }
            }
            if (pool.bytesInUse() != 0) return false;
        }
        return c.allocate(1).isValid();
    }
}

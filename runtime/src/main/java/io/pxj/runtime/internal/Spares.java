package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.StripedCounter;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What idle connections hand back, kept per nio loop thread: the free {@link OutboundQueue.Entry entries} (each
 * with its cached view of an arena chunk), the gather arrays and the {@link ResponseTimings}. A connection holds
 * them only while it sends or a timed response waits, so thousands of idle keep-alive connections cost none,
 * and the next connection to use them on that loop takes them back without allocating. Threads without a
 * counter slot (the windows pool) have no stash: their connections keep what they use.
 *
 * <p>Threading: a {@link Stash} is touched only by the thread owning its slot ({@link StripedCounter.Owner}); a
 * slot changes owner only when a loop thread has ended and another claims it ({@link StripedCounter#claimSlot},
 * which orders the two).
 */
final class Spares {
    private static final int MAX_ENTRIES = 256;
    private static final int MAX_GATHERS = 64;
    private static final int FIRST_GATHER = 4;
    private static final int MAX_TIMINGS = 64;

    /** The shared pool of staging buffers. */
    final BufferPool buffers;
    private final Stash[] stashes = new Stash[StripedCounter.SLOTS];

    Spares(BufferPool buffers) {
        this.buffers = buffers;
    }

    /** The calling thread's stash, or null on a thread without a counter slot. */
    Stash stash() {
        int s = StripedCounter.currentSlot();
        if (s < 0) {
            return null;
        }
        Stash st = stashes[s];
        if (st == null) {
            stashes[s] = st = new Stash();
        }
        return st;
    }

    /** A free entry: the calling loop thread's, or a new one. */
    OutboundQueue.Entry takeEntry() {
        Stash st = stash();
        OutboundQueue.Entry e = st == null ? null : st.entries;
        if (e == null) {
            return new OutboundQueue.Entry();
        }
        st.entries = e.next;
        st.entryCount--;
        e.next = null;
        return e;
    }

    /**
     * Forgets every stash (the runtime is closing, after its loops have ended): pooled entries may view arena chunks
     * the arena pool has dropped, which would otherwise stay reachable and never be freed. A loop thread still
     * running (a close that timed out) only loses its spares: it makes a new stash on its next call.
     */
    void clear() {
        Arrays.fill(stashes, null);
    }

    /** An empty gather array: the calling loop thread's, or a new small one. */
    ByteBuffer[] takeGather() {
        Stash st = stash();
        if (st == null || st.gatherCount == 0) {
            return new ByteBuffer[FIRST_GATHER];
        }
        ByteBuffer[] g = st.gathers[--st.gatherCount];
        st.gathers[st.gatherCount] = null;
        return g;
    }

    /** Empty response timings: the calling loop thread's, or new ones. */
    ResponseTimings takeTimings() {
        Stash st = stash();
        if (st == null || st.timingsCount == 0) {
            return new ResponseTimings();
        }
        ResponseTimings t = st.timings[--st.timingsCount];
        st.timings[st.timingsCount] = null;
        return t;
    }

    /** One loop thread's spares. */
    static final class Stash {
        private OutboundQueue.Entry entries;
        private int entryCount;
        private final ByteBuffer[][] gathers = new ByteBuffer[MAX_GATHERS][];
        private int gatherCount;
        private final ResponseTimings[] timings = new ResponseTimings[MAX_TIMINGS];
        private int timingsCount;

        /** Free entries kept (tests). */
        int entryCount() {
            return entryCount;
        }

        /** Keeps the entries of {@code chain} (released, linked by {@code next}) up to the cap; returns the rest. */
        OutboundQueue.Entry giveEntries(OutboundQueue.Entry chain) {
            while (chain != null && entryCount < MAX_ENTRIES) {
                OutboundQueue.Entry n = chain.next;
                chain.next = entries;
                entries = chain;
                entryCount++;
                chain = n;
            }
            return chain;
        }

        /** Keeps an empty gather array; false when the stash is full (the caller keeps it). */
        boolean giveGather(ByteBuffer[] g) {
            if (gatherCount == MAX_GATHERS) {
                return false;
            }
            gathers[gatherCount++] = g;
            return true;
        }

        /** Keeps empty timings; false when the stash is full (the caller keeps them). */
        boolean giveTimings(ResponseTimings t) {
            if (timingsCount == MAX_TIMINGS) {
                return false;
            }
            timings[timingsCount++] = t;
            return true;
        }
    }
}

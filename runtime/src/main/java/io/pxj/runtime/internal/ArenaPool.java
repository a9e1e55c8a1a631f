package io.pxj.runtime.internal;

import io.pxj.runtime.ArenaExhaustedException;
import io.pxj.runtime.spi.support.StripedCounter;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory behind every context's arena: fixed-size direct chunks, cached on a lock-free free list, plus
 * dedicated chunks for allocations larger than a chunk. Keeps the global counters (in use, reserved,
 * high-water, chunks held) that {@code Px.stats()} and the soft limit behind {@code Px.underMemoryPressure()}
 * read.
 *
 * <p>Why direct memory: arena data is sent to the kernel without a copy (a {@code Channel} requires direct
 * buffers), exactly like PyParallel's per-context heaps that WSASend read from.
 *
 * <p>A connection's context gives its chunk back whenever nothing it sends is in flight, so a busy thread takes and
 * returns a chunk per callback. A thread with a counter slot ({@link StripedCounter.Owner}: an nio event loop)
 * keeps the chunk it returned last and gets it back next: in steady state a loop's connections reuse one chunk,
 * which also keeps the send path's cached chunk views valid.
 *
 * <p>Threading: thread-safe and lock-free. Chunks move between contexts only through the free list, whose
 * offer/poll pair gives the happens-before edge that hands a chunk's contents from one thread to the next.
 */
public final class ArenaPool {
    /** Default chunk: large enough for a typical response, small enough that idle contexts cost little. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

    private final int chunkSize;
    private final long perContextLimit;
    private final boolean checks;
    private static final int SLOTS = StripedCounter.SLOTS;

    private final MpmcArrayQueue<ByteBuffer> freeChunks;
    private final AtomicReferenceArray<ByteBuffer> threadSlots = new AtomicReferenceArray<>(SLOTS);
    private final AddressRegistry registry;

    private final LongAdder inUse = new LongAdder();          // per allocation: striped, no CAS contention
    private final AtomicLong reserved = new AtomicLong();     // per chunk creation/drop: cold path
    private final LongAdder chunksHeld = new LongAdder();     // bytes of chunks in contexts (not cached)
    private final AtomicLong highWater = new AtomicLong();
    private volatile boolean closed;

    public ArenaPool(int chunkSize, long perContextLimit, boolean checks, int maxCachedChunks,
                     AddressRegistry registry) {
        if (chunkSize < 64) { throw new IllegalArgumentException("chunkSize must be >= 64: " + chunkSize); }
        if (perContextLimit < 1) {
            throw new IllegalArgumentException("perContextLimit must be >= 1: " + perContextLimit);
        }
        this.chunkSize = chunkSize;
        this.perContextLimit = perContextLimit;
        this.checks = checks;
        this.freeChunks = new MpmcArrayQueue<>(Math.max(2, maxCachedChunks));
        this.registry = registry;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public long perContextLimit() {
        return perContextLimit;
    }

    public boolean checks() {
        return checks;
    }

    /** A chunk of at least {@code minSize} bytes (the standard size when it fits), position 0. */
    ByteBuffer acquireChunk(int minSize) {
        ByteBuffer c = null;
        if (minSize <= chunkSize) {
            int slot = StripedCounter.currentSlot();
            c = slot >= 0 ? threadSlots.getAndSet(slot, null) : null;
            if (c == null) { c = freeChunks.poll(); }
            if (c == null) { c = create(chunkSize); }
        } else {
            c = create(minSize); // dedicated chunk for one large allocation, dropped at rollback
        }
        chunksHeld.add(c.capacity());
        return c;
    }

    private ByteBuffer create(int size) {
        ByteBuffer c;
        try {
            c = ByteBuffer.allocateDirect(size);
        } catch (OutOfMemoryError e) {
            throw new ArenaExhaustedException("no direct memory for a " + size + "-byte arena chunk (" + e.getMessage()
                    + "); raise -XX:MaxDirectMemorySize or lower Px.builder().memorySoftLimit so new connections"
                    + " are refused or answered 503 before this point");
        }
        registry.register(c);
        reserved.addAndGet(size);
        return c;
    }

    /** Returns a chunk: standard chunks are cached (up to the free list's capacity), others dropped. */
    void releaseChunk(ByteBuffer c) {
        chunksHeld.add(-c.capacity());
        if (!closed && c.capacity() == chunkSize) {
            int slot = StripedCounter.currentSlot();
            if (slot >= 0) {
                c = threadSlots.getAndSet(slot, c);
                if (c == null) { return; }
            }
            if (freeChunks.offer(c)) { return; }
        }
        registry.unregister(c);
        reserved.addAndGet(-c.capacity());
        // The memory itself is freed by the buffer's Cleaner once unreachable.
    }

    void allocated(long bytes) {
        inUse.add(bytes);
    }

    /** Called by a context that rolls back {@code bytes} (> 0): updates the high-water mark first. */
    void rolledBack(long bytes) {
        long now = inUse.sum();
        long hw = highWater.get();
        while (now > hw && !highWater.compareAndSet(hw, now)) { hw = highWater.get(); }
        inUse.add(-bytes);
    }

    public long bytesInUse() {
        return Math.max(0, inUse.sum());
    }

    public long bytesReserved() {
        return reserved.get();
    }

    /** Bytes of the chunks contexts hold now (allocated from or kept for allocation), cached ones excluded. */
    public long bytesHeld() {
        return Math.max(0, chunksHeld.sum());
    }

    public long highWater() {
        long now = bytesInUse();
        long hw = highWater.get();
        while (now > hw && !highWater.compareAndSet(hw, now)) { hw = highWater.get(); }
        return Math.max(hw, now);
    }

    /** Drops the cached chunks; later releases drop instead of caching. Idempotent. */
    public void close() {
        closed = true;
        for (int i = 0; i < SLOTS; i++) {
            ByteBuffer t = threadSlots.getAndSet(i, null);
            if (t != null) {
                registry.unregister(t);
                reserved.addAndGet(-t.capacity());
            }
        }
        ByteBuffer c;
        while ((c = freeChunks.poll()) != null) {
            registry.unregister(c);
            reserved.addAndGet(-c.capacity());
        }
    }
}

package io.pxj.runtime.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory behind every context's arena: fixed-size direct chunks, cached on a lock-free free list, plus
 * dedicated chunks for allocations larger than a chunk. Keeps the global counters (in use, reserved,
 * high-water) and the soft limit behind {@code Px.underMemoryPressure()}.
 *
 * <p>Why direct memory: arena data is sent to the kernel without a copy (a {@code Channel} requires direct
 * buffers), exactly like PyParallel's per-context heaps that WSASend read from.
 *
 * <p>Threading: thread-safe and lock-free. Chunks move between contexts only through the free list, whose
 * offer/poll pair gives the happens-before edge that hands a chunk's contents from one thread to the next.
 */
public final class ArenaPool {
    /** Default chunk: large enough for a typical response, small enough that idle contexts cost little. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

    private final int chunkSize;
    private final long perContextLimit;
    private final long softLimit;
    private final boolean checks;
    private final MpmcArrayQueue<ByteBuffer> freeChunks;
    private final AddressRegistry registry;

    private final LongAdder inUse = new LongAdder();          // per allocation: striped, no CAS contention
    private final AtomicLong reserved = new AtomicLong();     // per chunk creation/drop: cold path
    private final AtomicLong highWater = new AtomicLong();
    private volatile boolean closed;

    public ArenaPool(int chunkSize, long perContextLimit, long softLimit, boolean checks, int maxCachedChunks,
                     AddressRegistry registry) {
        if (chunkSize < 64) { throw new IllegalArgumentException("chunkSize must be >= 64: " + chunkSize); }
        if (perContextLimit < 1) {
            throw new IllegalArgumentException("perContextLimit must be >= 1: " + perContextLimit);
        }
        this.chunkSize = chunkSize;
        this.perContextLimit = perContextLimit;
        this.softLimit = softLimit;
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
        if (minSize <= chunkSize) {
            ByteBuffer c = freeChunks.poll();
            if (c != null) { return c; }
            return create(chunkSize);
        }
        return create(minSize); // dedicated chunk for one large allocation, dropped at rollback
    }

    private ByteBuffer create(int size) {
        ByteBuffer c = ByteBuffer.allocateDirect(size);
        registry.register(c);
        reserved.addAndGet(size);
        return c;
    }

    /** Returns a chunk: standard chunks are cached (up to the free list's capacity), others dropped. */
    void releaseChunk(ByteBuffer c) {
        if (!closed && c.capacity() == chunkSize && freeChunks.offer(c)) { return; }
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

    public long highWater() {
        long now = bytesInUse();
        long hw = highWater.get();
        while (now > hw && !highWater.compareAndSet(hw, now)) { hw = highWater.get(); }
        return Math.max(hw, now);
    }

    public boolean underPressure() {
        return bytesInUse() > softLimit;
    }

    /** Drops the cached chunks; later releases drop instead of caching. Idempotent. */
    public void close() {
        closed = true;
        ByteBuffer c;
        while ((c = freeChunks.poll()) != null) {
            registry.unregister(c);
            reserved.addAndGet(-c.capacity());
        }
    }
}

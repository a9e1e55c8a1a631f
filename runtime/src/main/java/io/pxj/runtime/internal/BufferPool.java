package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.StripedCounter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Recycles direct receive and staging buffers by size, so a read or a send does not cost a
 * {@code ByteBuffer.allocateDirect} (slow, and freed only by GC). Buffers are registered with the
 * {@link AddressRegistry} once, at creation: a view of one must never be persisted.
 *
 * <p>Connections borrow a receive buffer only while they read or keep unconsumed bytes, so a busy thread borrows
 * and returns one buffer per read. A thread with a counter slot ({@link StripedCounter.Owner}: an nio event loop)
 * keeps the buffer it returned last in its own slot and gets that same buffer back next: in steady state each
 * loop reads into one buffer of its own, and the shared free lists are touched only when a connection keeps its
 * buffer past a read. Other threads use the shared free lists directly.
 *
 * <p>The shared free lists are found by a scan of a tiny copy-on-write array (a pool sees two or three sizes),
 * not a map keyed by a boxed size: acquiring and releasing allocate nothing, which keeps accepting a connection
 * free of garbage here.
 *
 * <p>Every byte of direct memory this pool has created and not dropped counts in {@link #bytesReserved()}; what
 * is lent out (not cached) in {@link #bytesLent()}.
 *
 * <p>Threading: thread-safe, lock-free after the first buffer of a size. A thread's slot is touched only by the
 * thread that owns the slot, except by {@link #close()} (an atomic exchange on both sides).
 */
public final class BufferPool {
    private static final int SLOTS = StripedCounter.SLOTS;

    private record BySize(int size, MpmcArrayQueue<ByteBuffer> queue) {}

    private volatile BySize[] bySize = new BySize[0];
    private final AtomicReferenceArray<ByteBuffer> threadSlots = new AtomicReferenceArray<>(SLOTS);
    private final int perSize;
    private final AddressRegistry registry;
    private final AtomicLong reserved = new AtomicLong();
    private final LongAdder lent = new LongAdder();
    private volatile boolean closed;

    public BufferPool(int perSize, AddressRegistry registry) {
        this.perSize = perSize;
        this.registry = registry;
    }

    /**
     * A cleared buffer of {@code size} bytes.
     *
     * @throws OutOfMemoryError when the JVM's direct-memory limit leaves no room for a new one (callers refuse
     *                          the work that needed it)
     */
    public ByteBuffer acquire(int size) {
        int slot = StripedCounter.currentSlot();
        ByteBuffer b = null;
        if (slot >= 0) {
            b = threadSlots.getAndSet(slot, null);
            if (b != null && b.capacity() != size) {
                offer(b);
                b = null;
            }
        }
        if (b == null) {
            MpmcArrayQueue<ByteBuffer> q = queue(size);
            b = q == null ? null : q.poll();
        }
        if (b == null) {
            b = ByteBuffer.allocateDirect(size);
            registry.register(b);
            reserved.addAndGet(size);
        }
        b.clear();
        lent.add(size);
        return b;
    }

    public void release(ByteBuffer b) {
        if (b == null) { return; }
        lent.add(-b.capacity());
        int slot = StripedCounter.currentSlot();
        if (slot >= 0 && !closed) {
            b = threadSlots.getAndSet(slot, b);
            if (closed) { // close() may have drained the slots meanwhile: nothing may stay parked after it
                ByteBuffer parked = threadSlots.getAndSet(slot, null);
                if (parked != null) { drop(parked); }
            }
            if (b == null) { return; }
        }
        offer(b);
    }

    private void offer(ByteBuffer b) {
        if (!closed) {
            MpmcArrayQueue<ByteBuffer> q = queue(b.capacity());
            if (q == null) { q = addQueue(b.capacity()); }
            if (q.offer(b)) { return; }
        }
        drop(b);
    }

    private MpmcArrayQueue<ByteBuffer> queue(int size) {
        for (BySize e : bySize) {
            if (e.size == size) { return e.queue; }
        }
        return null;
    }

    private synchronized MpmcArrayQueue<ByteBuffer> addQueue(int size) {
        MpmcArrayQueue<ByteBuffer> q = queue(size);
        if (q != null) { return q; }
        BySize[] grown = Arrays.copyOf(bySize, bySize.length + 1);
        grown[grown.length - 1] = new BySize(size, new MpmcArrayQueue<>(perSize));
        bySize = grown;
        return grown[grown.length - 1].queue;
    }

    private void drop(ByteBuffer b) {
        registry.unregister(b);
        reserved.addAndGet(-b.capacity());
        // The memory itself is freed by the buffer's Cleaner once unreachable.
    }

    /** Direct memory created by this pool and not dropped: buffers lent out plus cached ones. */
    public long bytesReserved() {
        return reserved.get();
    }

    /** Direct memory lent out now (receive buffers of reading connections, staging buffers of sends). */
    public long bytesLent() {
        return Math.max(0, lent.sum());
    }

    /** Drops the cached buffers; later releases drop instead of caching. Idempotent. */
    public void close() {
        closed = true;
        for (int i = 0; i < SLOTS; i++) {
            ByteBuffer b = threadSlots.getAndSet(i, null);
            if (b != null) { drop(b); }
        }
        for (BySize e : bySize) {
            ByteBuffer b;
            while ((b = e.queue.poll()) != null) { drop(b); }
        }
    }
}

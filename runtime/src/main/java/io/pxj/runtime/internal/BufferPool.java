package io.pxj.runtime.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Recycles connections' direct receive and staging buffers by size, so accepting a connection does not cost a
 * {@code ByteBuffer.allocateDirect} (slow, and freed only by GC). Receive buffers are registered with the
 * {@link AddressRegistry} once, at creation: a view of one must never be persisted.
 *
 * <p>The queues are found by a scan of a tiny copy-on-write array (a pool sees two or three sizes), not a map
 * keyed by a boxed size: acquiring and releasing allocate nothing, which keeps accepting a connection free of
 * garbage here.
 *
 * <p>Threading: thread-safe, lock-free after the first buffer of a size.
 */
public final class BufferPool {
    private record BySize(int size, MpmcArrayQueue<ByteBuffer> queue) {}

    private volatile BySize[] bySize = new BySize[0];
    private final int perSize;
    private final AddressRegistry registry;
    private volatile boolean closed;

    public BufferPool(int perSize, AddressRegistry registry) {
        this.perSize = perSize;
        this.registry = registry;
    }

    public ByteBuffer acquire(int size) {
        MpmcArrayQueue<ByteBuffer> q = queue(size);
        ByteBuffer b = q == null ? null : q.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(size);
            registry.register(b);
        }
        b.clear();
        return b;
    }

    public void release(ByteBuffer b) {
        if (b == null) { return; }
        if (!closed) {
            MpmcArrayQueue<ByteBuffer> q = queue(b.capacity());
            if (q == null) { q = addQueue(b.capacity()); }
            if (q.offer(b)) { return; }
        }
        registry.unregister(b);
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

    /** Drops the cached buffers. Idempotent. */
    public void close() {
        closed = true;
        for (BySize e : bySize) {
            ByteBuffer b;
            while ((b = e.queue.poll()) != null) { registry.unregister(b); }
        }
    }
}

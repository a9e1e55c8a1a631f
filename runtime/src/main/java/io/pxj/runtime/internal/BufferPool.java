package io.pxj.runtime.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recycles connections' direct receive and staging buffers by size, so accepting a connection does not cost a
 * {@code ByteBuffer.allocateDirect} (slow, and freed only by GC). Receive buffers are registered with the
 * {@link AddressRegistry} once, at creation: a view of one must never be persisted.
 *
 * <p>Threading: thread-safe, lock-free after the first buffer of a size.
 */
public final class BufferPool {
    private final ConcurrentHashMap<Integer, MpmcArrayQueue<ByteBuffer>> bySize = new ConcurrentHashMap<>();
    private final int perSize;
    private final AddressRegistry registry;
    private volatile boolean closed;

    public BufferPool(int perSize, AddressRegistry registry) {
        this.perSize = perSize;
        this.registry = registry;
    }

    public ByteBuffer acquire(int size) {
        MpmcArrayQueue<ByteBuffer> q = bySize.get(size);
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
        if (!closed && bySize.computeIfAbsent(b.capacity(), k -> new MpmcArrayQueue<>(perSize)).offer(b)) { return; }
        registry.unregister(b);
    }

    /** Drops the cached buffers. Idempotent. */
    public void close() {
        closed = true;
        for (MpmcArrayQueue<ByteBuffer> q : bySize.values()) {
            ByteBuffer b;
            while ((b = q.poll()) != null) { registry.unregister(b); }
        }
    }
}

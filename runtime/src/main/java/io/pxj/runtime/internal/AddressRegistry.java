package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.DirectMemory;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The address ranges of memory that belongs to parallel contexts (arena chunks and connection receive buffers),
 * so that {@code Persistence} can refuse a direct {@link ByteBuffer} that views such memory however it was
 * derived. One registry per JVM because {@code Persistence.installDirectBufferCheck} is JVM-wide.
 *
 * <p>Threading: thread-safe. Registration happens when memory is created or dropped (cold path); lookups happen
 * only when something is persisted (cold path), never per read or write.
 */
public final class AddressRegistry {
    /** The JVM-wide registry. */
    public static final AddressRegistry GLOBAL = new AddressRegistry();

    private final ConcurrentSkipListMap<Long, Long> ranges = new ConcurrentSkipListMap<>(); // start -> end (excl.)

    /** Records {@code buffer}'s whole capacity as context memory. No-op if addresses are unavailable. */
    public void register(ByteBuffer buffer) {
        long a = DirectMemory.address(buffer);
        if (a != 0) { ranges.put(a, a + buffer.capacity()); }
    }

    public void unregister(ByteBuffer buffer) {
        long a = DirectMemory.address(buffer);
        if (a != 0) { ranges.remove(a); }
    }

    /** True if {@code buffer} is direct and starts inside a registered range. */
    public boolean contains(ByteBuffer buffer) {
        long a = DirectMemory.address(buffer);
        if (a == 0) { return false; }
        Map.Entry<Long, Long> e = ranges.floorEntry(a);
        return e != null && a < e.getValue();
    }

    /** Registered ranges (tests, stats). */
    public int size() {
        return ranges.size();
    }
}

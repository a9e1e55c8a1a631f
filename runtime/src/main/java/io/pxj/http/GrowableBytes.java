package io.pxj.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A per-connection, reused heap byte array: request scratch, request bodies, JSON output. Allocated on first use
 * (most connections never straddle a request across reads, send a body or answer JSON, so a short-lived one costs
 * no array), grows by doubling and is dropped by its owner after an unusually large request so an idle connection
 * does not pin megabytes.
 *
 * <p>Threading: confined to its connection's callbacks.
 */
final class GrowableBytes {
    private static final byte[] NONE = new byte[0];

    private final int initialCapacity;
    byte[] buf = NONE;
    int len;

    /** No array until the first append: most connections never need one (an idle connection holds none). */
    GrowableBytes(int initialCapacity) {
        this.initialCapacity = initialCapacity;
    }

    void clear() {
        len = 0;
    }

    /** Drops an over-grown array (called between requests). */
    void trim(int keepAtMost) {
        len = 0;
        if (buf.length > keepAtMost) { buf = NONE; }
    }

    void ensure(int extra) {
        long need = (long) len + extra;
        if (need > buf.length) { grow(need); } // kept tiny: inlined into every append of the JSON writer
    }

    private void grow(long need) {
        if (need > Integer.MAX_VALUE - 8) { throw new OutOfMemoryError("buffer too large: " + need); }
        long grown = Math.max(initialCapacity, Math.min(Integer.MAX_VALUE - 8L, buf.length * 2L));
        buf = Arrays.copyOf(buf, (int) Math.max(need, grown));
    }

    void append(ByteBuffer src, int index, int n) {
        ensure(n);
        src.get(index, buf, len, n);
        len += n;
    }

    void append(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    void append(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }
}

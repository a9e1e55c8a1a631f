package io.pxj.runtime.internal;

import io.pxj.runtime.ArenaBuffer;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * An {@link ArenaBuffer} over a region {@code [base, base + capacity)} of a context's chunk. Uses absolute
 * ByteBuffer access on the shared chunk so no view object is created per allocation.
 *
 * <p>Threading: confined to the callback that allocated it (not checked, for speed; the generation check
 * catches the dangerous case, use after rollback).
 */
public final class ArenaBufferImpl implements ArenaBuffer {
    private ContextImpl ctx;
    private long gen;
    private ByteBuffer mem;
    private int base;
    private int cap;
    private int len;
    private boolean checks;
    /** Kept by its caller across allocations (ParallelContext.allocate(int, ArenaBuffer)); never pooled. */
    boolean callerOwned;

    void init(ContextImpl ctx, long gen, ByteBuffer mem, int base, int cap) {
        this.ctx = ctx;
        this.gen = gen;
        this.mem = mem;
        this.base = base;
        this.cap = cap;
        this.len = 0;
        this.checks = ctx.checks();
    }

    private void check() {
        if (checks && ctx.generation != gen) { throw ctx.escape(gen); }
    }

    private int reserve(int n) {
        if (n > cap - len) { throw new BufferOverflowException(); }
        int at = base + len;
        len += n;
        return at;
    }

    /** The context that owns this buffer (core: to pin it while the buffer is sent). */
    public ContextImpl context() {
        return ctx;
    }

    /** The chunk this buffer lives in, and its start there (core: to send it without a slice object). */
    ByteBuffer chunk() {
        return mem;
    }

    int base() {
        return base;
    }

    @Override
    public long generation() {
        return gen;
    }

    @Override
    public boolean isValid() {
        return ctx.generation == gen;
    }

    @Override
    public int capacity() {
        check();
        return cap;
    }

    @Override
    public int length() {
        check();
        return len;
    }

    @Override
    public ArenaBuffer put(byte b) {
        check();
        mem.put(reserve(1), b);
        return this;
    }

    @Override
    public ArenaBuffer put(byte[] src) {
        return put(src, 0, src.length);
    }

    @Override
    public ArenaBuffer put(byte[] src, int offset, int length) {
        check();
        Objects.checkFromIndexSize(offset, length, src.length);
        mem.put(reserve(length), src, offset, length);
        return this;
    }

    @Override
    public ArenaBuffer put(ByteBuffer src) {
        check();
        int n = src.remaining();
        mem.put(reserve(n), src, src.position(), n);
        src.position(src.position() + n);
        return this;
    }

    @Override
    public ArenaBuffer putAscii(CharSequence s) {
        check();
        int n = s.length();
        int at = reserve(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            mem.put(at + i, c > 0xFF ? (byte) '?' : (byte) c);
        }
        return this;
    }

    @Override
    public ArenaBuffer putUtf8(CharSequence s) {
        check();
        int n = s.length();
        // Encode directly into the chunk; on overflow restore the write index so the buffer is unchanged.
        int start = len;
        try {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    mem.put(reserve(1), (byte) c);
                } else if (c < 0x800) {
                    int at = reserve(2);
                    mem.put(at, (byte) (0xC0 | (c >> 6)));
                    mem.put(at + 1, (byte) (0x80 | (c & 0x3F)));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    int at = reserve(4);
                    mem.put(at, (byte) (0xF0 | (cp >> 18)));
                    mem.put(at + 1, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                    mem.put(at + 2, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                    mem.put(at + 3, (byte) (0x80 | (cp & 0x3F)));
                } else if (Character.isSurrogate(c)) {
                    mem.put(reserve(1), (byte) '?'); // unpaired surrogate, as String.getBytes(UTF_8) does
                } else {
                    int at = reserve(3);
                    mem.put(at, (byte) (0xE0 | (c >> 12)));
                    mem.put(at + 1, (byte) (0x80 | ((c >> 6) & 0x3F)));
                    mem.put(at + 2, (byte) (0x80 | (c & 0x3F)));
                }
            }
        } catch (BufferOverflowException e) {
            len = start;
            throw e;
        }
        return this;
    }

    @Override
    public ArenaBuffer putDecimal(long value) {
        check();
        if (value == Long.MIN_VALUE) { return putAscii("-9223372036854775808"); }
        int digits = 1;
        long v = Math.abs(value);
        for (long p = 10; digits < 19 && v >= p; p *= 10) { digits++; }
        int n = digits + (value < 0 ? 1 : 0);
        int at = reserve(n);
        if (value < 0) { mem.put(at, (byte) '-'); }
        for (int i = at + n - 1; i >= at + n - digits; i--) {
            mem.put(i, (byte) ('0' + (v % 10)));
            v /= 10;
        }
        return this;
    }

    @Override
    public byte get(int index) {
        check();
        Objects.checkIndex(index, len);
        return mem.get(base + index);
    }

    @Override
    public ArenaBuffer clear() {
        check();
        len = 0;
        return this;
    }

    @Override
    public ByteBuffer nioBuffer() {
        check();
        return mem.slice(base, len);
    }

    @Override
    public byte[] toByteArray() {
        check();
        byte[] out = new byte[len];
        mem.get(base, out, 0, len);
        return out;
    }

    @Override
    public String toString(Charset charset) {
        return new String(toByteArray(), charset);
    }

    @Override
    public String toString() {
        return "ArenaBuffer[context=" + ctx.id() + ", generation=" + gen + ", length=" + len + ", capacity=" + cap
                + (isValid() ? "" : ", ROLLED BACK") + "]";
    }
}

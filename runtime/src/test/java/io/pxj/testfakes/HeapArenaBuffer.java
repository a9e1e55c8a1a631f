package io.pxj.testfakes;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ContextEscapeException;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A heap-backed ArenaBuffer whose methods fail once its {@link FakeContext} rolled back (escape checks). */
public final class HeapArenaBuffer implements ArenaBuffer {
    private final FakeContext ctx;
    private final long generation;
    private final byte[] buf;
    private int len;

    HeapArenaBuffer(FakeContext ctx, int capacity) {
        this.ctx = ctx;
        this.generation = ctx.generation();
        this.buf = new byte[capacity];
    }

    private void check(int extra) {
        if (!isValid()) throw new ContextEscapeException("arena buffer used after rollback (generation " + generation + ")");
        if (extra > buf.length - len) throw new IndexOutOfBoundsException("arena buffer full: " + len + "+" + extra + " > " + buf.length);
    }

    @Override public long generation() { return generation; }
    @Override public boolean isValid() { return ctx.generation() == generation; }
    @Override public int capacity() { return buf.length; }
    @Override public int length() { return len; }

    @Override public ArenaBuffer put(byte b) { check(1); buf[len++] = b; return this; }

    @Override public ArenaBuffer put(byte[] src) { return put(src, 0, src.length); }

    @Override public ArenaBuffer put(byte[] src, int offset, int length) {
        check(length);
        System.arraycopy(src, offset, buf, len, length);
        len += length;
        return this;
    }

    @Override public ArenaBuffer put(ByteBuffer src) {
        int n = src.remaining();
        check(n);
        src.get(buf, len, n);
        len += n;
        return this;
    }

    @Override public ArenaBuffer putAscii(CharSequence s) {
        check(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            buf[len++] = (byte) (c > 0xFF ? '?' : c);
        }
        return this;
    }

    @Override public ArenaBuffer putUtf8(CharSequence s) { return put(s.toString().getBytes(StandardCharsets.UTF_8)); }

    @Override public ArenaBuffer putDecimal(long value) { return putAscii(Long.toString(value)); }

    @Override public byte get(int index) {
        check(0);
        if (index < 0 || index >= len) throw new IndexOutOfBoundsException(index);
        return buf[index];
    }

    @Override public ArenaBuffer clear() { check(0); len = 0; return this; }

    @Override public ByteBuffer nioBuffer() { check(0); return ByteBuffer.wrap(buf, 0, len).slice(); }

    @Override public byte[] toByteArray() { check(0); return Arrays.copyOf(buf, len); }

    @Override public String toString(Charset charset) { check(0); return new String(buf, 0, len, charset); }
}

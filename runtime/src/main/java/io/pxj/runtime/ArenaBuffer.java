package io.pxj.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * A byte buffer allocated from a parallel context's arena with {@link ParallelContext#allocate(int)}. It is a
 * write-then-read buffer: {@code put*} append at the write index, {@link #length()} is what has been written.
 * Return it from a protocol callback (or pass it to {@link Transport#write(Object)}) to send the written bytes
 * without a copy; the arena is rolled back when the send completes.
 *
 * <p>Every method checks the context generation (unless {@code -Dpxj.checks=false}) and throws
 * {@link ContextEscapeException} once the context rolled back: copy data out with {@link #toByteArray()} or
 * {@link #toString(Charset)} before the callback ends if it must live longer.
 *
 * <p>Threading: confined to the callback that allocated it.
 */
public interface ArenaBuffer extends ArenaBacked {
    /** Bytes this buffer can hold. */
    int capacity();

    /** Bytes written so far. */
    int length();

    /** Bytes that can still be written. */
    default int remaining() {
        return capacity() - length();
    }

    ArenaBuffer put(byte b);

    ArenaBuffer put(byte[] src);

    ArenaBuffer put(byte[] src, int offset, int length);

    /** Appends src's remaining bytes, advancing src's position. */
    ArenaBuffer put(ByteBuffer src);

    /** Appends each char as one byte (chars above 0xFF become '?'). */
    ArenaBuffer putAscii(CharSequence s);

    ArenaBuffer putUtf8(CharSequence s);

    /** Appends the decimal digits of {@code value} without allocating. */
    ArenaBuffer putDecimal(long value);

    /** The byte at {@code index} (0 &lt;= index &lt; length()). */
    byte get(int index);

    /** Resets the write index to 0. */
    ArenaBuffer clear();

    /**
     * A ByteBuffer view of the written bytes (position 0, limit length()). The view cannot be checked: it must
     * not be kept beyond the callback either.
     */
    ByteBuffer nioBuffer();

    /** A heap copy of the written bytes: safe to keep. */
    byte[] toByteArray();

    /** The written bytes decoded: safe to keep. */
    String toString(Charset charset);
}

package io.pxj.win32;

import io.pxj.win32.raw.Structs.TRANSMIT_FILE_BUFFERS;

/**
 * View of one TRANSMIT_FILE_BUFFERS (the head and tail {@link Winsock#transmitFile} sends around the file) inside a
 * {@link NativeMemory} block, usually the operation's own block next to its OVERLAPPED. Like the OVERLAPPED, it and
 * the head and tail bytes must stay allocated until the operation's completion is seen.
 *
 * <p>Not thread-safe.
 */
public final class TransmitFileBuffers {
    /** sizeof(TRANSMIT_FILE_BUFFERS): bytes to reserve for one in a larger block. */
    public static final int SIZE = TRANSMIT_FILE_BUFFERS.SIZEOF;

    private final NativeMemory memory;
    private final long offset;

    /** A view at {@code offset} (8-byte aligned) of {@code memory}. */
    public TransmitFileBuffers(NativeMemory memory, long offset) {
        if ((offset & 7) != 0) {
            throw new IllegalArgumentException("TRANSMIT_FILE_BUFFERS must be 8-byte aligned, offset " + offset);
        }
        memory.address(offset + SIZE); // bounds check
        this.memory = memory;
        this.offset = offset;
    }

    /** The address to pass as {@code transmitBuffers}. */
    public long address() {
        return memory.address(offset);
    }

    /** No head, no tail. */
    public TransmitFileBuffers reset() {
        memory.zero(offset, SIZE);
        return this;
    }

    /** Head: {@code length} bytes at {@code address}, sent before the file. */
    public TransmitFileBuffers setHead(long address, int length) {
        memory.putLong(offset + TRANSMIT_FILE_BUFFERS.Head, address);
        memory.putInt(offset + TRANSMIT_FILE_BUFFERS.HeadLength, length);
        return this;
    }

    /** Tail: {@code length} bytes at {@code address}, sent after the file. */
    public TransmitFileBuffers setTail(long address, int length) {
        memory.putLong(offset + TRANSMIT_FILE_BUFFERS.Tail, address);
        memory.putInt(offset + TRANSMIT_FILE_BUFFERS.TailLength, length);
        return this;
    }

    public long head() {
        return memory.getLong(offset + TRANSMIT_FILE_BUFFERS.Head);
    }

    public int headLength() {
        return memory.getInt(offset + TRANSMIT_FILE_BUFFERS.HeadLength);
    }

    public long tail() {
        return memory.getLong(offset + TRANSMIT_FILE_BUFFERS.Tail);
    }

    public int tailLength() {
        return memory.getInt(offset + TRANSMIT_FILE_BUFFERS.TailLength);
    }
}

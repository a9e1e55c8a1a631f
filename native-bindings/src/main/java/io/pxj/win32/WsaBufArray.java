package io.pxj.win32;

import io.pxj.win32.raw.Structs.WSABUF;

/**
 * A native array of WSABUF for WSARecv / WSASend (gathering writes). It must stay allocated until the operation
 * completes; the buffers it points to too.
 *
 * <p>Not thread-safe. {@link #close()} frees the array only if this view allocated it.
 */
public final class WsaBufArray implements AutoCloseable {
    /** sizeof(WSABUF): bytes per entry, to reserve room for an array in a larger block. */
    public static final int ENTRY_SIZE = WSABUF.SIZEOF;

    private final NativeMemory memory;
    private final long offset;
    private final int capacity;
    private final boolean owned;

    /** A view of {@code capacity} WSABUFs at {@code offset} (8-byte aligned) of {@code memory}. */
    public WsaBufArray(NativeMemory memory, long offset, int capacity) {
        this(memory, offset, capacity, false);
    }

    private WsaBufArray(NativeMemory memory, long offset, int capacity, boolean owned) {
        if (capacity <= 0 || (offset & 7) != 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", offset " + offset);
        }
        memory.address(offset + (long) capacity * WSABUF.SIZEOF); // bounds check
        this.memory = memory;
        this.offset = offset;
        this.capacity = capacity;
        this.owned = owned;
    }

    public static WsaBufArray allocate(int capacity) {
        return new WsaBufArray(NativeMemory.allocate((long) capacity * WSABUF.SIZEOF), 0, capacity, true);
    }

    public int capacity() {
        return capacity;
    }

    /** Address of WSABUF {@code index} (pass with count {@code n - index} to send a suffix). */
    public long address(int index) {
        return memory.address(entry(index));
    }

    public long address() {
        return address(0);
    }

    /** Sets WSABUF {@code index} to {@code length} bytes at {@code bufferAddress}. */
    public WsaBufArray set(int index, long bufferAddress, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        long e = entry(index);
        memory.putInt(e + WSABUF.len, length);
        memory.putInt(e + WSABUF.len + 4, 0); // padding, keeps the block deterministic
        memory.putLong(e + WSABUF.buf, bufferAddress);
        return this;
    }

    /** ULONG len. */
    public int length(int index) {
        return memory.getInt(entry(index) + WSABUF.len);
    }

    public long buffer(int index) {
        return memory.getLong(entry(index) + WSABUF.buf);
    }

    @Override
    public void close() {
        if (owned) {
            memory.close();
        }
    }

    private long entry(int index) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("WSABUF " + index + " outside [0, " + capacity + ")");
        }
        return offset + (long) index * WSABUF.SIZEOF;
    }
}

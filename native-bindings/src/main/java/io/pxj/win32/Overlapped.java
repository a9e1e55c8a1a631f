package io.pxj.win32;

import io.pxj.win32.raw.Structs.OVERLAPPED;

/**
 * View of one OVERLAPPED inside a {@link NativeMemory} block (typically embedded in a connection's or an
 * operation's native memory, so one allocation holds OVERLAPPED + WSABUFs + buffer). Its {@link #address()} is
 * what the kernel echoes back on completion: map it to the operation.
 *
 * <p>While an operation is pending the kernel owns the OVERLAPPED: do not {@link #reset()} or write it, and do not
 * free its memory, until the completion has been seen. Not thread-safe.
 */
public final class Overlapped {
    /** sizeof(OVERLAPPED): bytes to reserve for one in a larger block. */
    public static final int SIZE = OVERLAPPED.SIZEOF;

    private final NativeMemory memory;
    private final long offset;

    /** A view at {@code offset} (8-byte aligned) of {@code memory}. */
    public Overlapped(NativeMemory memory, long offset) {
        if ((offset & 7) != 0) {
            throw new IllegalArgumentException("OVERLAPPED must be 8-byte aligned, offset " + offset);
        }
        memory.address(offset + OVERLAPPED.SIZEOF); // bounds check
        this.memory = memory;
        this.offset = offset;
    }

    /** A standalone OVERLAPPED in its own block; free it with {@code memory().close()}. */
    public static Overlapped allocate() {
        return new Overlapped(NativeMemory.allocate(OVERLAPPED.SIZEOF), 0);
    }

    public NativeMemory memory() {
        return memory;
    }

    public long address() {
        return memory.address(offset);
    }

    /** Zeroes the OVERLAPPED before reuse (required before every new operation). */
    public Overlapped reset() {
        memory.zero(offset, OVERLAPPED.SIZEOF);
        return this;
    }

    /** Sets Offset/OffsetHigh: the file position for TransmitFile / file I/O. */
    public Overlapped setFileOffset(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file offset " + position);
        }
        memory.putInt(offset + OVERLAPPED.Offset, (int) position);
        memory.putInt(offset + OVERLAPPED.OffsetHigh, (int) (position >>> 32));
        return this;
    }

    public long fileOffset() {
        return Integer.toUnsignedLong(memory.getInt(offset + OVERLAPPED.Offset))
                | ((long) memory.getInt(offset + OVERLAPPED.OffsetHigh) << 32);
    }

    public Overlapped setEvent(long event) {
        memory.putLong(offset + OVERLAPPED.hEvent, event);
        return this;
    }

    public long event() {
        return memory.getLong(offset + OVERLAPPED.hEvent);
    }

    /** OVERLAPPED.Internal: the NTSTATUS (STATUS_PENDING 0x103 while in flight). */
    public int ntStatus() {
        return (int) memory.getLong(offset + OVERLAPPED.Internal);
    }

    /** OVERLAPPED.InternalHigh: bytes transferred, once complete. */
    public long internalHigh() {
        return memory.getLong(offset + OVERLAPPED.InternalHigh);
    }

    /** Reads the NTSTATUS of an OVERLAPPED known only by address (e.g. from a completion entry). */
    public static int ntStatusAt(long overlappedAddress) {
        return (int) NativeMemory.getLongAt(overlappedAddress + OVERLAPPED.Internal);
    }
}

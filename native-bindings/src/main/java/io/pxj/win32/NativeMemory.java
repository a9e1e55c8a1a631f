package io.pxj.win32;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A block of native (off-heap) memory, zeroed on allocation, accessed by byte offset. Used for everything the
 * kernel reads or writes asynchronously (OVERLAPPED, WSABUF arrays, I/O buffers, OVERLAPPED_ENTRY arrays):
 * unlike a JNA {@code Structure} nothing is copied behind the caller's back, and unlike a heap array the
 * address is stable, so it can be handed to the kernel as a {@code long} for the life of an operation.
 *
 * <p>Threading: accesses are plain (non-volatile) loads and stores; publish the block to another thread through
 * a happens-before edge (the completion port itself is one). {@link #close()} is idempotent and frees the
 * block; the owner must only close it after every operation using it has completed.
 */
public final class NativeMemory implements AutoCloseable {
    /** Absolute addressing without allocation: a Pointer whose peer is 0 reads and writes at {@code offset}. */
    private static final Pointer ABSOLUTE = new Pointer(0);
    /**
     * Live blocks (base address to size), kept only under the Wine bridge (which then refuses to copy a completion
     * into memory that was freed while its operation was pending); {@code null} otherwise: no cost on Windows.
     */
    private static final ConcurrentSkipListMap<Long, Long> LIVE =
            System.getProperty("pxj.win32.bridge") != null ? new ConcurrentSkipListMap<>() : null;

    private final Memory memory;
    private final long address;
    private final long size;
    private volatile boolean closed;

    private NativeMemory(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0: " + size);
        }
        this.memory = new Memory(size); // malloc: 16-byte aligned on x64, enough for every Win32 struct
        this.memory.clear();
        this.address = Pointer.nativeValue(memory);
        this.size = size;
        if (LIVE != null) {
            LIVE.put(address, size);
        }
    }

    /** Allocates {@code size} zeroed bytes. */
    public static NativeMemory allocate(long size) {
        return new NativeMemory(size);
    }

    /** The base address. */
    public long address() {
        checkOpen();
        return address;
    }

    /** The address of {@code offset}, bounds-checked. */
    public long address(long offset) {
        return address + at(offset, 0);
    }

    public long size() {
        return size;
    }

    public boolean isClosed() {
        return closed;
    }

    public byte getByte(long offset) {
        return memory.getByte(at(offset, Byte.BYTES));
    }

    public void putByte(long offset, byte value) {
        memory.setByte(at(offset, Byte.BYTES), value);
    }

    public short getShort(long offset) {
        return memory.getShort(at(offset, Short.BYTES));
    }

    public void putShort(long offset, short value) {
        memory.setShort(at(offset, Short.BYTES), value);
    }

    public int getInt(long offset) {
        return memory.getInt(at(offset, Integer.BYTES));
    }

    public void putInt(long offset, int value) {
        memory.setInt(at(offset, Integer.BYTES), value);
    }

    public long getLong(long offset) {
        return memory.getLong(at(offset, Long.BYTES));
    }

    public void putLong(long offset, long value) {
        memory.setLong(at(offset, Long.BYTES), value);
    }

    public void read(long offset, byte[] dst, int dstOffset, int length) {
        memory.read(at(offset, length), dst, dstOffset, length);
    }

    public void write(long offset, byte[] src, int srcOffset, int length) {
        memory.write(at(offset, length), src, srcOffset, length);
    }

    public void zero(long offset, long length) {
        memory.setMemory(at(offset, length), length, (byte) 0);
    }

    /** A direct, native-order ByteBuffer over {@code [offset, offset+length)}; invalid once closed. */
    public ByteBuffer byteBuffer(long offset, int length) {
        return memory.getByteBuffer(at(offset, length), length).order(ByteOrder.nativeOrder());
    }

    /** Frees the memory once; later calls do nothing. */
    @Override
    public void close() {
        if (!closed) {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    if (LIVE != null) {
                        LIVE.remove(address);
                    }
                    memory.close();
                }
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("native memory already freed");
        }
    }

    /**
     * The one bounds check every access goes through: the block is open and {@code [offset, offset + length)} lies
     * inside it. Returns {@code offset}, so an accessor is a single call.
     */
    private long at(long offset, long length) {
        checkOpen();
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " + " + length + " outside [0, " + size + ")");
        }
        return offset;
    }

    // --- absolute access, for addresses handed back by the kernel (GetAcceptExSockaddrs, OVERLAPPED.Internal) ---

    static int getIntAt(long address) {
        requireNonNull(address);
        return ABSOLUTE.getInt(address);
    }

    static long getLongAt(long address) {
        requireNonNull(address);
        return ABSOLUTE.getLong(address);
    }

    static void putLongAt(long address, long value) {
        requireNonNull(address);
        ABSOLUTE.setLong(address, value);
    }

    static void putIntAt(long address, int value) {
        requireNonNull(address);
        ABSOLUTE.setInt(address, value);
    }

    static void readAt(long address, byte[] dst, int dstOffset, int length) {
        requireNonNull(address);
        ABSOLUTE.read(address, dst, dstOffset, length);
    }

    static void writeAt(long address, byte[] src, int srcOffset, int length) {
        requireNonNull(address);
        ABSOLUTE.write(address, src, srcOffset, length);
    }

    /**
     * True if {@code [address, address + length)} lies in a block that has not been freed; always true when blocks
     * are not tracked (only the Wine bridge tracks them).
     */
    static boolean isLive(long address, long length) {
        if (LIVE == null) {
            return true;
        }
        Map.Entry<Long, Long> e = LIVE.floorEntry(address);
        return e != null && address + length <= e.getKey() + e.getValue();
    }

    /** Whether {@link #isLive} answers from tracking (under the Wine bridge) rather than always true. */
    static boolean isTracked() {
        return LIVE != null;
    }

    private static void requireNonNull(long address) {
        if (address == 0) {
            throw new IllegalArgumentException("NULL address");
        }
    }
}

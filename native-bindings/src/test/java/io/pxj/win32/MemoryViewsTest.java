package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.raw.Structs.OVERLAPPED;
import io.pxj.win32.raw.Structs.OVERLAPPED_ENTRY;
import io.pxj.win32.raw.Structs.TRANSMIT_FILE_BUFFERS;
import io.pxj.win32.raw.Structs.WSABUF;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

/** The native memory views, on real native memory (JNA's Memory works on any OS). */
class MemoryViewsTest {

    @Test
    void nativeMemoryIsZeroedBoundsCheckedAndClosesOnce() {
        NativeMemory m = NativeMemory.allocate(40);
        for (int i = 0; i < 40; i += 8) {
            assertEquals(0, m.getLong(i));
        }
        m.putLong(32, -2L);
        m.putShort(0, (short) 0x1234);
        assertEquals(0x34, m.getByte(0)); // little-endian
        assertEquals(-2L, m.getLong(32));
        assertThrows(IndexOutOfBoundsException.class, () -> m.getLong(33));
        assertThrows(IndexOutOfBoundsException.class, () -> m.putInt(-1, 0));
        assertEquals(m.address() + 8, m.address(8));
        ByteBuffer bb = m.byteBuffer(32, 8);
        assertTrue(bb.isDirect());
        assertEquals(-2L, bb.getLong(0));
        assertEquals(m.address() + 32, NativeBuffers.address(bb));
        m.close();
        m.close(); // idempotent
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, m::address);
        assertThrows(IllegalStateException.class, () -> m.getInt(0));
    }

    @Test
    void absoluteAccessReachesTheSameBytes() {
        try (NativeMemory m = NativeMemory.allocate(16)) {
            NativeMemory.putLongAt(m.address() + 8, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, m.getLong(8));
            assertEquals(0x05060708, NativeMemory.getIntAt(m.address() + 8));
            assertThrows(IllegalArgumentException.class, () -> NativeMemory.getLongAt(0));
        }
    }

    @Test
    void overlappedPacksTheFileOffsetIntoOffsetAndOffsetHigh() {
        try (NativeMemory m = NativeMemory.allocate(64)) {
            Overlapped ov = new Overlapped(m, 32);
            assertEquals(m.address() + 32, ov.address());
            ov.setFileOffset(0x1_2345_6789L);
            assertEquals(0x23456789, m.getInt(32 + OVERLAPPED.Offset));
            assertEquals(1, m.getInt(32 + OVERLAPPED.OffsetHigh));
            assertEquals(0x1_2345_6789L, m.getLong(32 + OVERLAPPED.Pointer)); // the union, as one pointer
            assertEquals(0x1_2345_6789L, ov.fileOffset());
            ov.setFileOffset(0xFFFF_FFFFL); // Offset with the sign bit set is still unsigned
            assertEquals(0xFFFF_FFFFL, ov.fileOffset());
            assertEquals(0, m.getInt(32 + OVERLAPPED.OffsetHigh));
            ov.setEvent(0x77);
            assertEquals(0x77, m.getLong(32 + OVERLAPPED.hEvent));

            // What the kernel writes on completion.
            m.putLong(32 + OVERLAPPED.Internal, 0xC000_0120L); // STATUS_CANCELLED
            m.putLong(32 + OVERLAPPED.InternalHigh, 4096);
            assertEquals(0xC0000120, ov.ntStatus());
            assertEquals(0xC0000120, Overlapped.ntStatusAt(ov.address()));
            assertEquals(4096, ov.internalHigh());

            ov.reset();
            for (int i = 0; i < OVERLAPPED.SIZEOF; i += 8) {
                assertEquals(0, m.getLong(32 + i));
            }
            assertThrows(IllegalArgumentException.class, () -> ov.setFileOffset(-1));
            assertThrows(IllegalArgumentException.class, () -> new Overlapped(m, 4)); // misaligned
            assertThrows(IndexOutOfBoundsException.class, () -> new Overlapped(m, 40)); // runs past the end
        }
        Overlapped standalone = Overlapped.allocate();
        assertEquals(OVERLAPPED.SIZEOF, standalone.memory().size());
        standalone.memory().close();
    }

    @Test
    void wsaBufArrayLayout() {
        try (WsaBufArray bufs = WsaBufArray.allocate(3)) {
            bufs.set(0, 0x1000, 10).set(2, 0xFFFF_0000_1234L, 0x7FFF_FFFF);
            assertEquals(bufs.address() + 2 * WSABUF.SIZEOF, bufs.address(2));
            assertEquals(10, bufs.length(0));
            assertEquals(0x1000, bufs.buffer(0));
            assertEquals(0, bufs.length(1));
            assertEquals(0xFFFF_0000_1234L, bufs.buffer(2));
            assertEquals(0x7FFF_FFFF, NativeMemory.getIntAt(bufs.address(2) + WSABUF.len));
            assertEquals(0, NativeMemory.getIntAt(bufs.address(2) + 4)); // padding
            assertThrows(IndexOutOfBoundsException.class, () -> bufs.set(3, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> bufs.set(0, 0, -1));
        }
        try (NativeMemory m = NativeMemory.allocate(64)) {
            WsaBufArray view = new WsaBufArray(m, 16, 3);
            view.set(1, 42, 7);
            assertEquals(42, m.getLong(16 + WSABUF.SIZEOF + WSABUF.buf));
            view.close(); // a view does not free memory it does not own
            assertFalse(m.isClosed());
        }
    }

    @Test
    void transmitFileBuffersLayout() {
        try (NativeMemory m = NativeMemory.allocate(8 + TransmitFileBuffers.SIZE)) {
            m.putLong(8 + TRANSMIT_FILE_BUFFERS.HeadLength, -1L); // stale bytes: reset clears them
            TransmitFileBuffers tfb = new TransmitFileBuffers(m, 8).reset();
            assertEquals(m.address() + 8, tfb.address());
            assertEquals(0, tfb.headLength());
            tfb.setHead(0x1000, 7).setTail(0x2000, 2);
            assertEquals(0x1000, m.getLong(8 + TRANSMIT_FILE_BUFFERS.Head));
            assertEquals(7, m.getInt(8 + TRANSMIT_FILE_BUFFERS.HeadLength));
            assertEquals(0x2000, tfb.tail());
            assertEquals(2, m.getInt(8 + TRANSMIT_FILE_BUFFERS.TailLength));
            assertEquals(0, m.getInt(8 + TRANSMIT_FILE_BUFFERS.HeadLength + 4)); // padding
            assertThrows(IllegalArgumentException.class, () -> new TransmitFileBuffers(m, 4)); // misaligned
            assertThrows(IndexOutOfBoundsException.class, () -> new TransmitFileBuffers(m, 16)); // past the end
        }
    }

    @Test
    void completionEntries() {
        try (CompletionEntries e = CompletionEntries.allocate(4)) {
            e.set(0, 7, 0x1000, 100);
            e.set(1, 8, 0, -1); // DWORD 0xFFFFFFFF
            e.setCount(2);
            e.setError(0, 64);
            assertEquals(2, e.count());
            assertEquals(7, e.completionKey(0));
            assertEquals(0x1000, e.overlappedAddress(0));
            assertEquals(100, e.bytesTransferred(0));
            assertEquals(0xFFFF_FFFFL, e.bytesTransferred(1));
            assertEquals(64, e.error(0));
            assertEquals(8, NativeMemory.getLongAt(e.address() + OVERLAPPED_ENTRY.SIZEOF + OVERLAPPED_ENTRY.lpCompletionKey));
            e.setCount(2); // a new batch clears stale errors
            assertEquals(0, e.error(0));
            assertThrows(IllegalArgumentException.class, () -> e.setCount(5));
            assertThrows(IndexOutOfBoundsException.class, () -> e.completionKey(4));
        }
        CompletionEntries closed = CompletionEntries.allocate(1);
        closed.close();
        closed.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> closed.completionKey(0), "no read of freed memory");
    }

    @Test
    void completionResultHolder() {
        CompletionResult r = new CompletionResult().set(1, 2, 3, 4);
        assertEquals(1, r.completionKey());
        assertEquals(2, r.overlappedAddress());
        assertEquals(3, r.bytesTransferred());
        assertEquals(4, r.error());
    }

    @Test
    void heapBuffersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NativeBuffers.address(ByteBuffer.allocate(8)));
        ByteBuffer d = ByteBuffer.allocateDirect(16).position(5);
        assertEquals(NativeBuffers.address(d) + 5, NativeBuffers.positionAddress(d));
    }
}

package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.DirectMemory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ArenaExhaustedException;
import io.pxj.runtime.ContextEscapeException;
import io.pxj.runtime.ProtectedMap;
import io.pxj.runtime.ProtectionException;
import io.pxj.runtime.PersistenceException;
import io.pxj.runtime.Px;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class ArenaTest {
    static final class Host implements ContextHost {
        Thread main = Thread.currentThread();

        @Override
        public Px px() {
            return null;
        }

        @Override
        public boolean isMainThread(Thread t) {
            return t == main;
        }

        @Override
        public void callFromMainThread(Runnable task) {}

        @Override
        public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) {
            return null;
        }

        @Override
        public <T> T published(String name, Class<T> type) {
            return null;
        }
    }

    static ArenaPool pool(boolean checks, long limit) {
        return new ArenaPool(1024, limit, checks, 16, AddressRegistry.GLOBAL);
    }

    static ContextImpl running(ArenaPool pool) {
        Host h = new Host();
        h.main = null; // the test thread plays a pool thread
        ContextImpl c = new ContextImpl(7, h, pool);
        c.enter();
        return c;
    }

    @Test
    void bumpAllocatesAndWritesAllKinds() {
        ContextImpl c = running(pool(true, 1 << 20));
        ArenaBuffer b = c.allocate(64);
        b.put((byte) 'a').put(new byte[] {'b', 'c'}).put(ByteBuffer.wrap(new byte[] {'d'})).putAscii("é!")
                .putUtf8("é€😀").putDecimal(-1234567890123L).putDecimal(0).putDecimal(Long.MIN_VALUE);
        String expected = "abcd\u00e9!" + "é€😀" + "-1234567890123" + "0" + Long.MIN_VALUE;
        byte[] want = ("abcd").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(want.length, 4);
        assertEquals("abcd", b.toString(StandardCharsets.ISO_8859_1).substring(0, 4));
        assertEquals((byte) 0xE9, b.get(4)); // putAscii keeps Latin-1 as one byte
        String rest = new String(b.toByteArray(), 6, b.length() - 6, StandardCharsets.UTF_8);
        assertEquals(expected.substring(6), rest);
        ByteBuffer view = b.nioBuffer();
        assertTrue(view.isDirect());
        assertEquals(b.length(), view.remaining());
        assertEquals(64, c.arenaBytesInUse());
    }

    @Test
    void overflowThrowsAndLeavesBufferUnchanged() {
        ContextImpl c = running(pool(true, 1 << 20));
        ArenaBuffer b = c.allocate(3);
        b.put((byte) 1);
        assertThrows(java.nio.BufferOverflowException.class, () -> b.putUtf8("€"));
        assertEquals(1, b.length());
    }

    @Test
    void rollbackInvalidatesWithHelpfulMessage() {
        ContextImpl c = running(pool(true, 1 << 20));
        ArenaBuffer b = c.allocate(8).putAscii("x");
        c.rollback();
        assertFalse(b.isValid());
        ContextEscapeException e = assertThrows(ContextEscapeException.class, b::length);
        assertTrue(e.getMessage().contains("context #7"), e.getMessage());
        assertTrue(e.getMessage().contains("generation 0"), e.getMessage());
        assertTrue(e.getMessage().contains("Don't persist parallel objects"), e.getMessage());
        assertTrue(e.getMessage().contains("toByteArray()"), e.getMessage());
        assertThrows(ContextEscapeException.class, b::nioBuffer);
        assertThrows(ContextEscapeException.class, () -> b.put((byte) 1));
    }

    @Test
    void checksOffPoolsHandles() {
        ContextImpl c = running(pool(false, 1 << 20));
        ArenaBuffer a = c.allocate(8);
        c.rollback();
        a.length(); // no check
        ArenaBuffer b = c.allocate(8);
        assertSame(a, b);
    }

    @Test
    void hardLimitPerContext() {
        ContextImpl c = running(pool(true, 100));
        c.allocate(60);
        ArenaExhaustedException e = assertThrows(ArenaExhaustedException.class, () -> c.allocate(41));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
        c.allocate(40);
        c.rollback();
        c.allocate(100);
    }

    @Test
    void largeAllocationsGetDedicatedChunksAndCountersBalance() {
        ArenaPool p = pool(true, 1 << 20);
        ContextImpl c = running(p);
        c.allocate(100);
        c.allocate(5000);
        assertEquals(5100, p.bytesInUse());
        assertTrue(p.bytesReserved() >= 1024 + 5000);
        c.rollback();
        assertEquals(0, p.bytesInUse());
        assertTrue(p.highWater() >= 5100);
        c.releaseAll();
        assertEquals(1024, p.bytesReserved()); // the standard chunk is cached, the large one dropped
        p.close();
        assertEquals(0, p.bytesReserved());
    }

    @Test
    void chunksHeldCountWhileAContextHoldsThemAndRollbackReturnsThem() {
        ArenaPool p = new ArenaPool(1024, 1 << 20, true, 16, AddressRegistry.GLOBAL);
        ContextImpl c = running(p);
        c.allocate(100);
        assertEquals(1024, p.bytesHeld(), "one standard chunk held for 100 bytes");
        c.allocate(5000);
        assertEquals(1024 + 5000, p.bytesHeld(), "plus a dedicated chunk");
        c.rollback();
        assertEquals(0, p.bytesHeld(), "a rolled-back context holds no chunk");
        assertEquals(1024, p.bytesReserved(), "the standard chunk is cached for the next callback");
    }

    @Test
    void contextMethodsAreParallelOnly() {
        Host h = new Host(); // the test thread is the main thread
        ContextImpl c = new ContextImpl(3, h, pool(true, 1 << 20));
        ProtectionException e = assertThrows(ProtectionException.class, () -> c.allocate(1));
        assertTrue(e.getMessage().contains("main thread"), e.getMessage());
        h.main = null;
        e = assertThrows(ProtectionException.class, () -> c.allocate(1));
        assertTrue(e.getMessage().contains("not running a callback of context #3"), e.getMessage());
        c.enter();
        c.allocate(1);
        c.exit();
        assertThrows(ProtectionException.class, () -> c.published("x", String.class));
    }

    @Test
    void arenaMemoryCannotBePersisted() throws Exception {
        Class.forName("io.pxj.runtime.Px"); // installs the direct-buffer check
        ContextImpl c = running(pool(true, 1 << 20));
        ArenaBuffer b = c.allocate(16).putAscii("hello");
        ProtectedMap<String, Object> map = new ProtectedMap<>();
        assertThrows(PersistenceException.class, () -> map.put("k", b));
        if (DirectMemory.supported()) {
            ByteBuffer view = b.nioBuffer().slice(1, 2); // derived views are caught too
            assertThrows(PersistenceException.class, () -> map.put("k", view));
        }
        map.put("k", b.toByteArray()); // a copy is fine
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), (byte[]) map.get("k"));
    }

    @Test
    void ownsRecognisesViews() {
        ContextImpl c = running(pool(true, 1 << 20));
        ArenaBuffer b = c.allocate(16).putAscii("abc");
        if (DirectMemory.supported()) assertTrue(c.owns(b.nioBuffer().slice(1, 1)));
        assertFalse(c.owns(ByteBuffer.allocateDirect(4)));
    }
}

package io.pxj.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinesFramerTest {
    final ByteBuffer buf = ByteBuffer.allocateDirect(64);
    final LinesFramer f = new LinesFramer(10);

    {
        f.reset(buf);
    }

    /** Simulates one read appending {@code s}, then frames. */
    List<String> read(String s) {
        f.compact();
        buf.put(s.getBytes(StandardCharsets.US_ASCII));
        int n = f.frame();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(f.lineString(i, StandardCharsets.US_ASCII));
        return out;
    }

    @Test
    void splitsOnNewlineAndStripsCr() {
        assertEquals(List.of("a", "bc", "", "d"), read("a\nbc\r\n\nd\n"));
        assertFalse(f.tooLong());
    }

    @Test
    void joinsLinesSplitAcrossReads() {
        assertEquals(List.of(), read("hel"));
        assertEquals(List.of(), read("lo\r"));
        assertEquals(List.of("hello", "x"), read("\nx\ny"));
        assertEquals(List.of("yz"), read("z\n"));
    }

    @Test
    void lineViewsAreReadOnlySlices() {
        read("abc\n");
        ByteBuffer l = f.line(0);
        assertTrue(l.isReadOnly());
        assertEquals(3, l.remaining());
        assertEquals('a', l.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> f.line(1));
    }

    @Test
    void overlongCompleteLineIsFlaggedAfterEarlierLines() {
        assertEquals(List.of("ok"), read("ok\n0123456789X\nmore\n"));
        assertTrue(f.tooLong());
    }

    @Test
    void overlongPartialLineIsFlaggedEarly() {
        assertEquals(List.of(), read("0123456789"));
        assertFalse(f.tooLong()); // exactly max so far
        read("\r");
        assertFalse(f.tooLong()); // could still be "<10 bytes>\r\n"
        read("x");
        assertTrue(f.tooLong());
    }

    @Test
    void exactlyMaxLengthIsFine() {
        assertEquals(List.of("0123456789"), read("0123456789\r\n"));
        assertFalse(f.tooLong());
    }

    @Test
    void remainderAtEndOfStream() {
        read("a\nlast\r");
        assertEquals(1, f.frameRemainder());
        assertEquals("last", f.lineString(0, StandardCharsets.US_ASCII));
        assertEquals(0, f.frameRemainder());
    }
}

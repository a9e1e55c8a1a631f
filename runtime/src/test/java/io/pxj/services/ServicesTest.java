package io.pxj.services;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.testfakes.FakeContext;
import io.pxj.testfakes.FakeLines;
import io.pxj.testfakes.FakeTransport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicesTest {
    final FakeTransport t = new FakeTransport();
    final FakeContext ctx = new FakeContext(t);

    static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String str(Object o) {
        if (o instanceof ArenaBuffer a) return a.toString(StandardCharsets.UTF_8);
        if (o instanceof byte[] b) return new String(b, StandardCharsets.US_ASCII);
        ByteBuffer b = ((ByteBuffer) o).duplicate();
        return StandardCharsets.ISO_8859_1.decode(b).toString();
    }

    @Test
    void echoReturnsTheReceivedBufferItself() throws Exception {
        ByteBuffer in = buf("hello");
        assertSame(in, new EchoProtocol().dataReceived(ctx, t, in));
    }

    @Test
    void echoUpperCopiesIntoTheArenaAndUpperCasesAsciiOnly() throws Exception {
        ByteBuffer in = buf("hello, wörld {z}");
        in.position(2);
        Object out = new EchoUpperProtocol().dataReceived(ctx, t, in);
        assertInstanceOf(ArenaBuffer.class, out);
        assertEquals("LLO, WöRLD {Z}", str(out));
        assertEquals(2, in.position(), "input untouched");
    }

    @Test
    void linesEchoUsesLinesModeAndTerminatesWithCrlf() throws Exception {
        LinesEchoProtocol p = new LinesEchoProtocol();
        assertTrue(p.options().linesMode());
        assertEquals(LinesEchoProtocol.MAX_LINE, p.options().maxLineLength());
        assertEquals("a\r\n\r\nbc é\r\n", str(p.linesReceived(ctx, t, new FakeLines("a", "", "bc é"))));
        assertNull(p.linesReceived(ctx, t, new FakeLines()));
    }

    @Test
    void discardSendsNothing() throws Exception {
        assertNull(new DiscardProtocol().dataReceived(ctx, t, buf("x")));
        assertNull(new DiscardProtocol().initialBytesToSend(ctx, t));
    }

    @Test
    void daytimeSendsOneLineAndClosesAfterTheSend() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("1982-02-23T01:37:43Z"), ZoneId.of("America/Los_Angeles"));
        DaytimeProtocol p = new DaytimeProtocol(clock);
        assertEquals("Monday, February 22, 1982 17:37:43-PST\r\n", str(p.initialBytesToSend(ctx, t)));
        assertFalse(t.closed);
        assertNull(p.sendComplete(ctx, t, 1));
        assertTrue(t.closed);
    }

    @Test
    void timeSendsSecondsSince1900BigEndian() throws Exception {
        TimeProtocol p = new TimeProtocol(Clock.fixed(Instant.parse("1970-01-01T00:00:01Z"), ZoneId.of("UTC")));
        long v = 2_208_988_801L;
        assertArrayEquals(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v},
                (byte[]) p.initialBytesToSend(ctx, t));
        p.sendComplete(ctx, t, 1);
        assertTrue(t.closed);
    }

    @Test
    void qotdSendsAShortQuoteAndCloses() throws Exception {
        QotdProtocol p = new QotdProtocol();
        String q = str(p.initialBytesToSend(ctx, t));
        assertTrue(q.endsWith("\r\n") && q.length() < 512, q);
        p.sendComplete(ctx, t, 1);
        assertTrue(t.closed);
    }

    @Test
    void chargenStreamsTheRotatingPatternUntilClosed() throws Exception {
        ChargenProtocol p = new ChargenProtocol();
        StringBuilder all = new StringBuilder(str(p.initialBytesToSend(ctx, t)));
        for (int i = 1; i <= 5; i++) all.append(str(p.sendComplete(ctx, t, i)));
        String[] lines = all.toString().split("\r\n", -1);
        assertEquals(6 * ChargenProtocol.BATCH + 1, lines.length);
        assertEquals("", lines[lines.length - 1]);
        for (int l = 0; l < lines.length - 1; l++) {
            assertEquals(ChargenProtocol.LINE, lines[l].length());
            for (int c = 0; c < ChargenProtocol.LINE; c++) {
                assertEquals((char) (' ' + (l + c) % 95), lines[l].charAt(c), "line " + l + " col " + c);
            }
        }
        assertEquals("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh", lines[1]);
        assertNull(p.dataReceived(ctx, t, buf("ignored")));
        t.close();
        assertNull(p.sendComplete(ctx, t, 6), "stops once the connection is closed");
    }
}

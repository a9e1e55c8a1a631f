package io.pxj.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedDecoderTest {
    static final String BODY = "4\r\nWiki\r\n6;ext=1;q=\"a b\"\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\nNEXT";

    /** Feeds {@code in} in pieces of {@code step} bytes; returns decoded body, or "ERR<status>". */
    static String decode(String in, int step, long max) {
        ChunkedDecoder d = new ChunkedDecoder();
        d.reset();
        GrowableBytes out = new GrowableBytes(4);
        ByteBuffer b = ByteBuffer.wrap(in.getBytes(StandardCharsets.ISO_8859_1));
        int pos = 0;
        while (pos < b.limit() && !d.isDone() && d.error() == 0) {
            pos = d.feed(b, pos, Math.min(b.limit(), pos + step), out, max, 1024);
        }
        if (d.error() != 0) return "ERR" + d.error();
        if (!d.isDone()) return "INCOMPLETE";
        return new String(out.buf, 0, out.len, StandardCharsets.ISO_8859_1) + "|" + in.substring(pos);
    }

    @Test
    void decodesAtEveryFeedSize() {
        for (int step = 1; step <= BODY.length(); step++) {
            assertEquals("Wikipedia in \r\n\r\nchunks.|NEXT", decode(BODY, step, 1000), "step " + step);
        }
    }

    @Test
    void stopsExactlyAtTheEndOfTheBody() {
        assertEquals("|GET", decode("0\r\n\r\nGET", 1, 10));
        assertEquals("INCOMPLETE", decode("0\r\n\r", 1, 10));
    }

    @Test
    void bodyLimitIsCheckedBeforeReadingTheChunk() {
        assertEquals("ERR413", decode("5\r\nhello\r\n6\r\n", 100, 10));
        assertEquals("hellohello|", decode("5\r\nhello\r\n5\r\nhello\r\n0\r\n\r\n", 3, 10));
    }

    @Test
    void trailerLimit() {
        ChunkedDecoder d = new ChunkedDecoder();
        d.reset();
        ByteBuffer b = ByteBuffer.wrap(("0\r\nT: " + "x".repeat(100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        d.feed(b, 0, b.limit(), new GrowableBytes(4), 10, 50);
        assertEquals(431, d.error());
        assertFalse(d.isDone());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x\\r\\n", "\\r\\n", "5\\nhello", "5\\rhello", "5 x\\r\\n", "5;a\\u0000\\r\\n", "1000000000000000\\r\\n",
            "5\\r\\nhelloX\\r\\n", "5\\r\\nhello\\rX", "0\\r\\n folded\\r\\n\\r\\n", "0\\r\\nA\\u0001: b\\r\\n\\r\\n",
            "0\\r\\nA: b\\n\\r\\n", "0\\r\\n\\rX", "-5\\r\\n", "+5\\r\\n", "0x5\\r\\n"
    })
    void refusesMalformedFraming(String escaped) {
        String in = HttpProtocolTest.unescape(escaped);
        assertEquals("ERR400", decode(in, 1, 1 << 20), escaped);
        assertEquals("ERR400", decode(in, 1000, 1 << 20), escaped);
    }

    @Test
    void extensionsAreBounded() {
        assertTrue(decode("1;" + "a".repeat(ChunkedDecoder.MAX_EXTENSION_BYTES + 1) + "\r\nx\r\n0\r\n\r\n", 64, 10)
                .equals("ERR400"));
        assertEquals("x|", decode("1;" + "a".repeat(100) + "\r\nx\r\n0\r\n\r\n", 64, 10));
        assertEquals("x|", decode("1 \t ;a=b\r\nx\r\n0\r\n\r\n", 1, 10));
        assertEquals("x|", decode("0001\r\nx\r\n0\r\n\r\n", 1, 10));
    }
}

package io.pxj.demo.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpResponseCounterTest {
    final List<Integer> statuses = new ArrayList<>();
    final HttpResponseCounter counter = new HttpResponseCounter(statuses::add);

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static final String PLAIN = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, World!";
    static final String CHUNKED = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\n";

    @Test
    void oneResponseInOnePiece() throws Exception {
        assertEquals(1, counter.feed(ascii(PLAIN)));
        assertEquals(List.of(200), statuses);
        assertTrue(counter.idle());
        assertFalse(counter.closeRequested());
    }

    @Test
    void pipelinedResponsesInOnePiece() throws Exception {
        assertEquals(3, counter.feed(ascii(PLAIN + CHUNKED + PLAIN)));
        assertEquals(List.of(200, 404, 200), statuses);
        assertEquals(3, counter.responses());
    }

    @Test
    void everySplitPointGivesTheSameResult() throws Exception {
        byte[] all = ascii(PLAIN + CHUNKED + "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n" + PLAIN);
        for (int split = 0; split <= all.length; split++) {
            List<Integer> got = new ArrayList<>();
            HttpResponseCounter c = new HttpResponseCounter(got::add);
            int n = c.feed(ByteBuffer.wrap(all, 0, split)) + c.feed(ByteBuffer.wrap(all, split, all.length - split));
            assertEquals(4, n, "split at " + split);
            assertEquals(List.of(200, 404, 204, 200), got, "split at " + split);
        }
    }

    @Test
    void byteAtATime() throws Exception {
        byte[] all = ascii(CHUNKED + PLAIN);
        int n = 0;
        for (byte b : all) n += counter.feed(new byte[] {b});
        assertEquals(2, n);
        assertEquals(List.of(404, 200), statuses);
    }

    @Test
    void bodyBytesThatLookLikeAResponseAreSkipped() throws Exception {
        String body = "HTTP/1.1 500 X\r\n\r\n";
        String r = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        assertEquals(1, counter.feed(ascii(r)));
        assertEquals(List.of(200), statuses);
    }

    @Test
    void headerNamesAreCaseInsensitiveAndConnectionCloseIsSeen() throws Exception {
        assertEquals(1, counter.feed(ascii("HTTP/1.1 200 OK\r\ncontent-LENGTH: 2\r\nConnection: close\r\n\r\nok")));
        assertTrue(counter.closeRequested());
    }

    @Test
    void interimAndBodilessStatuses() throws Exception {
        String r = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        assertEquals(2, counter.feed(ascii(r)));
        assertEquals(List.of(304, 200), statuses);
    }

    @Test
    void bodyUntilCloseCompletesAtEndOfInput() throws Exception {
        assertEquals(0, counter.feed(ascii("HTTP/1.0 200 OK\r\n\r\nsome body")));
        assertEquals(1, counter.endOfInput());
        assertEquals(List.of(200), statuses);
        assertTrue(counter.closeRequested());
    }

    @Test
    void truncatedResponseIsAnErrorAtEndOfInput() throws Exception {
        counter.feed(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        assertThrows(HttpResponseCounter.HttpParseException.class, counter::endOfInput);
    }

    @Test
    void malformedInputIsRejected() {
        for (String bad : List.of("HTTX/1.1 200 OK\r\n", "HTTP/1.1 2x0 OK\r\n", "HTTP/1.1 200OK\r\n",
                "HTTP/1.1 200 OK\r\nNoColon\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n")) {
            HttpResponseCounter c = new HttpResponseCounter(s -> {});
            assertThrows(HttpResponseCounter.HttpParseException.class, () -> c.feed(ascii(bad)), bad);
        }
    }

    @Test
    void overlongLineIsRejected() {
        byte[] line = new byte[HttpResponseCounter.MAX_LINE + 10];
        java.util.Arrays.fill(line, (byte) 'a');
        assertThrows(HttpResponseCounter.HttpParseException.class, () -> counter.feed(line));
    }
}

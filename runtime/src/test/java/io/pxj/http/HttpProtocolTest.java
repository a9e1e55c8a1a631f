package io.pxj.http;

import io.pxj.http.HttpConn.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpProtocolTest {
    static final long MILLIS = 784_111_777_000L; // Sun, 06 Nov 1994 08:49:37 GMT
    static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<String> heard = new ArrayList<>();

    HttpServer server(HttpLimits limits) {
        return HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .route("/json", TechEmpower.json())
                .route("/html", (q, r) -> "<b>hi</b>")
                .route("/bytes", (q, r) -> new byte[] {'a', 'b'})
                .route("/big", (q, r) -> new byte[20_000]) // sent from its own array, not copied
                .route("/map", (q, r) -> Map.of("a", 1))
                .route("/null", (q, r) -> null)
                .route("/custom", (q, r) -> {
                    r.status(201).header("X-A", "b").body("made");
                    return null;
                })
                .route("/echo", (q, r) -> q.bodyBytes(), HttpMethod.POST)
                .route("/info", (q, r) -> q.method() + " " + q.path() + " " + q.rawQuery() + " " + q.header("x-test")
                        + " " + q.queryParameter("k"), HttpMethod.GET, HttpMethod.POST)
                .route("/boom", (q, r) -> {
                    throw new IllegalStateException("boom");
                })
                .route("/gone", (q, r) -> {
                    throw new HttpException(410);
                })
                .route("/unjsonable", (q, r) -> new Object())
                .prefix("/api", (q, r) -> "api:" + q.pathWithinRoute())
                .prefix("/api/v2/", (q, r) -> "v2:" + q.pathWithinRoute())
                .listener((q, status, n) -> heard.add(q.method() + " " + (q.method() == null ? "-" : q.path()) + " " + status))
                .limits(limits)
                .clocks(() -> MILLIS, nanos::get)
                .build();
    }

    HttpConn conn() {
        return new HttpConn(server(HttpLimits.DEFAULT));
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Test
    void plaintextIsExactlyThePreEncodedResponseWithTheCachedDate() {
        HttpConn c = conn();
        assertEquals("HTTP/1.1 200 OK\r\nServer: pxj\r\nDate: " + DATE + "\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 13\r\n\r\nHello, World!", c.feed(get("/plaintext")));
        assertFalse(c.transport.closed);
    }

    @Test
    void jsonEndpoint() {
        Resp r = HttpConn.one(conn().feed(get("/json")));
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("{\"message\":\"Hello, World!\"}", r.body());
        assertEquals(DATE, r.header("Date"));
        assertEquals("pxj", r.header("Server"));
    }

    @Test
    void returnValuesBecomeResponses() {
        HttpConn c = conn();
        Resp html = HttpConn.one(c.feed(get("/html")));
        assertEquals("text/html; charset=utf-8", html.header("content-type"));
        assertEquals("<b>hi</b>", html.body());
        Resp bytes = HttpConn.one(c.feed(get("/bytes")));
        assertEquals("text/plain", bytes.header("content-type"));
        assertEquals("ab", bytes.body());
        Resp map = HttpConn.one(c.feed(get("/map")));
        assertEquals("{\"a\":1}", map.body());
        Resp none = HttpConn.one(c.feed(get("/null")));
        assertEquals(204, none.status());
        assertNull(none.header("content-length"));
        Resp custom = HttpConn.one(c.feed(get("/custom")));
        assertEquals(201, custom.status());
        assertEquals("b", custom.header("x-a"));
        assertEquals("made", custom.body());
        assertFalse(c.transport.closed);
    }

    @Test
    void requestAccessors() {
        Resp r = HttpConn.one(conn().feed("GET /a/./b//c/../info?k=v%20w&z HTTP/1.1\r\nHost: x\r\nX-Test:  yes  \r\n\r\n"));
        assertEquals(404, r.status()); // normalised to /a/b/info: no such route
        Resp ok = HttpConn.one(conn().feed("GET /x/../info?k=v%20w&z HTTP/1.1\r\nHost: x\r\nX-TEST:  yes  \r\n\r\n"));
        assertEquals("GET /info k=v%20w&z yes v w", ok.body());
    }

    @Test
    void absoluteFormTargetsAreAccepted() {
        Resp r = HttpConn.one(conn().feed("GET http://example.com/info?k=1 HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals("GET /info k=1 null 1", r.body());
    }

    @Test
    void prefixRoutesAreLongestFirstOnSegmentBoundaries() {
        HttpConn c = conn();
        assertEquals("api:", HttpConn.one(c.feed(get("/api"))).body());
        assertEquals("api:x/y", HttpConn.one(c.feed(get("/api/x/y"))).body());
        assertEquals("v2:z", HttpConn.one(c.feed(get("/api/v2/z"))).body());
        assertEquals(404, HttpConn.one(c.feed(get("/apix"))).status());
    }

    @Test
    void notFoundAndMethodNotAllowedKeepTheConnection() {
        HttpConn c = conn();
        Resp nf = HttpConn.one(c.feed(get("/nope")));
        assertEquals(404, nf.status());
        assertNull(nf.header("connection"));
        Resp na = HttpConn.one(c.feed("POST /plaintext HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(405, na.status());
        assertEquals("GET, HEAD", na.header("allow"));
        Resp na2 = HttpConn.one(c.feed("DELETE /info HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals("GET, HEAD, POST", na2.header("allow"));
        assertFalse(c.transport.closed);
        assertEquals(200, HttpConn.one(c.feed(get("/plaintext"))).status());
    }

    @Test
    void headRunsGetWithoutBody() {
        HttpConn c = conn();
        String raw = c.feed("HEAD /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(raw.endsWith("Content-Length: 13\r\n\r\n"), raw);
        String raw2 = c.feed("HEAD /json HTTP/1.1\r\nHost: x\r\n\r\n", get("/plaintext"));
        List<Resp> two = HttpConn.parse(raw2.substring(0, raw2.indexOf("\r\n\r\n") + 4), true);
        assertEquals("27", two.get(0).header("content-length"));
        assertTrue(raw2.endsWith("Hello, World!"));
    }

    @Test
    void handlerErrors() {
        HttpConn c = conn();
        Resp gone = HttpConn.one(c.feed(get("/gone")));
        assertEquals(410, gone.status());
        assertFalse(c.transport.closed);
        Resp boom = HttpConn.one(c.feed(get("/boom")));
        assertEquals(500, boom.status());
        assertEquals("close", boom.header("connection"));
        assertTrue(c.transport.closed);
        assertEquals(1, c.server.stats().handlerErrors());
        assertEquals("boom", c.server.stats().lastHandlerError().getMessage());
        HttpConn c2 = conn();
        assertEquals(500, HttpConn.one(c2.feed(get("/unjsonable"))).status());
    }

    @Test
    void pipelinedRequestsAnswerInOrderInOneSend() {
        HttpConn c = conn();
        String raw = c.feed(get("/html") + get("/plaintext") + get("/bytes") + get("/nope"));
        List<Resp> r = HttpConn.parse(raw);
        assertEquals(List.of(200, 200, 200, 404), r.stream().map(Resp::status).toList());
        assertEquals(List.of("<b>hi</b>", "Hello, World!", "ab"), r.subList(0, 3).stream().map(Resp::body).toList());
        assertEquals(1, c.transport.sends.size() == 0 ? 1 : 1); // taken already; see sendsAreBatched
    }

    @Test
    void eachPipelinedResponseIsTimedAtItsEndInTheReadsOutputFromTheReadCompletion() {
        HttpConn c = conn();
        c.transport.receivedNanos = 777;
        String raw = c.feed(get("/html") + get("/plaintext") + get("/big") + get("/nope"));
        List<Integer> ends = new ArrayList<>();
        for (int i = raw.indexOf("HTTP/1.1 ", 1); i > 0; i = raw.indexOf("HTTP/1.1 ", i + 1)) ends.add(i);
        ends.add(raw.length());
        assertEquals(4, ends.size(), raw);
        assertEquals(4, c.transport.timed.size());
        for (int i = 0; i < 4; i++) {
            long[] t = c.transport.timed.get(i);
            assertEquals((long) ends.get(i), t[0], "response " + i + " ends where the next begins");
            assertEquals(777, t[1], "pipelined requests of one read share its completion time");
        }
        assertEquals(List.of(200L, 200L, 200L, 404L), c.transport.timed.stream().map(t -> t[2]).toList(), "tag = status");
    }

    @Test
    void aRequestIsTimedFromTheReadThatCompletedItsHeadNotItsBody() {
        HttpConn c = conn();
        c.transport.receivedNanos = 100;
        c.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhe");
        assertTrue(c.transport.timed.isEmpty());
        c.transport.receivedNanos = 200;
        String raw = c.feed("llo");
        assertEquals(1, c.transport.timed.size());
        assertEquals(raw.length(), c.transport.timed.get(0)[0]);
        assertEquals(100, c.transport.timed.get(0)[1]);
    }

    @Test
    void aFramingErrorIsTimedToo() {
        HttpConn c = conn();
        c.transport.receivedNanos = 5;
        String raw = c.feed("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        assertEquals(400, HttpConn.one(raw).status());
        assertEquals(1, c.transport.timed.size());
        assertEquals(raw.length(), c.transport.timed.get(0)[0]);
        assertEquals(400, c.transport.timed.get(0)[2]);
    }

    @Test
    void sendsAreBatchedIntoOneArenaChunk() {
        HttpConn c = conn();
        long before = c.ctx.allocations();
        c.feed((get("/plaintext") + get("/json") + get("/plaintext")).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("ArenaBuffer"), c.transport.sends);
        assertEquals(1, c.ctx.allocations() - before);
    }

    @Test
    void pipelinedRequestSplitAtEveryByteBoundary() {
        String in = get("/html") + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + get("/bytes");
        String expected = conn().feed(in);
        for (int cut = 1; cut < in.length(); cut++) {
            assertEquals(expected, conn().feed(in.substring(0, cut), in.substring(cut)), "cut at " + cut);
        }
        // and byte by byte
        HttpConn c = conn();
        String[] bytes = in.split("");
        assertEquals(expected, c.feed(bytes));
    }

    @Test
    void contentLengthBodies() {
        HttpConn c = conn();
        assertEquals("hello", HttpConn.one(c.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")).body());
        assertEquals("", HttpConn.one(c.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")).body());
        String big = "y".repeat(100_000);
        String raw = c.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + big.substring(0, 30000),
                big.substring(30000, 60000), big.substring(60000));
        assertEquals(big, HttpConn.one(raw).body());
    }

    @Test
    void chunkedBodySplitAtEveryByteBoundary() {
        String in = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;x=\"q\"\r\nhello\r\n1 ;e\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer-A: 1\r\nT: 2\r\n\r\n"
                + get("/bytes");
        String expected = conn().feed(in);
        List<Resp> r = HttpConn.parse(expected);
        assertEquals("hello 0123456789", r.get(0).body());
        assertEquals("ab", r.get(1).body());
        for (int cut = 1; cut < in.length(); cut++) {
            for (int cut2 = cut + 1; cut2 < in.length(); cut2 += 7) {
                assertEquals(expected, conn().feed(in.substring(0, cut), in.substring(cut, cut2), in.substring(cut2)),
                        "cuts at " + cut + "," + cut2);
            }
        }
        assertEquals(expected, conn().feed(in.split("")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nhello | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5, 5\\r\\n\\r\\nhello | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: -1\\r\\n\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: +5\\r\\n\\r\\nhello | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0x5\\r\\n\\r\\nhello | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n | 501
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n | 501
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400
            POST /echo HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-1\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1000000000000000\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhelloXX | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\nhello\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5 x\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n folded\\r\\n\\r\\n | 400
            POST /echo HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nA: \\u0000\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nX: a\\r\\n  folded\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nX: a\\u0000b\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nX: a\\u0001b\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nX: a\\u007fb\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nX : a\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\n: a\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nX\\u0000Y: a\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\nHost: x\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\rY: z\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\n\\r\\n | 400
            GET / HTTP/1.1\\r\\nHost: x\\r\\nHost: y\\r\\n\\r\\n | 400
            FOO / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 501
            TRACE / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 501
            GET / HTTP/2.0\\r\\nHost: x\\r\\n\\r\\n | 505
            GET / HTTP/0.9\\r\\nHost: x\\r\\n\\r\\n | 505
            GET / HTTP/1.1x\\r\\nHost: x\\r\\n\\r\\n | 400
            GET / http/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /\\r\\n\\r\\n | 400
            GET  / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET / HTTP/1.1 \\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a b HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /\\u00e9 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a#frag HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET * HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET example.com:80 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            G@T / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /../etc/passwd HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a/../../etc/passwd HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /%2e%2e/etc/passwd HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /%2E%2E/etc/passwd HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /.%2e/etc/passwd HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a%2f..%2f..%2fetc HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a%2F%2E%2E HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a%5c..%5c..%5cetc HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a\\\\..\\\\etc HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a%00.html HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /a%0d%0aSet-Cookie:x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /%%32%65%%32%65/x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /%zz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /% HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400
            GET /%c0%ae%c0%ae/x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 404
            GET /%252e%252e/x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 404
            """)
    void malformedRequestsGetTheirStatusAndCloseTheConnection(String request, int status) {
        HttpConn c = conn();
        String raw = c.feed(unescape(request) + get("/plaintext"));
        Resp r = HttpConn.parse(raw).get(0);
        assertEquals(status, r.status(), raw);
        if (status == 404) return; // well-framed, harmless: the connection continues
        assertEquals(1, HttpConn.parse(raw).size(), "nothing is answered after an error: " + raw);
        assertEquals("close", r.header("connection"));
        assertTrue(c.transport.outputShutdown, "lingering close: output shut down first");
        // input after the error is read and discarded
        assertEquals("", c.feed(get("/plaintext")));
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\') {
                sb.append(ch);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> sb.append('\r');
                case 'n' -> sb.append('\n');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    @Test
    void limits() {
        HttpLimits small = HttpLimits.builder().maxRequestLineBytes(32).maxHeaderBytes(64).maxHeaderCount(3)
                .maxBodyBytes(10).build();
        // 414 before the line is even complete
        assertEquals(414, HttpConn.one(new HttpConn(server(small)).feed("GET /" + "a".repeat(40))).status());
        assertEquals(414, HttpConn.one(new HttpConn(server(small)).feed("GET /" + "a".repeat(40) + " HTTP/1.1\r\n")).status());
        assertEquals(200, HttpConn.one(new HttpConn(server(small)).feed("GET /plaintext?" + "a".repeat(6) + " HTTP/1.1\r\nHost: x\r\n\r\n")).status());
        // 431: bytes (incomplete head too), count
        assertEquals(431, HttpConn.one(new HttpConn(server(small)).feed(
                "GET / HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(70))).status());
        assertEquals(431, HttpConn.one(new HttpConn(server(small)).feed(
                "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")).status());
        assertEquals(200, HttpConn.one(new HttpConn(server(small)).feed(
                "GET /plaintext HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n")).status());
        // 413: announced, chunked
        assertEquals(413, HttpConn.one(new HttpConn(server(small)).feed(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n")).status());
        assertEquals(413, HttpConn.one(new HttpConn(server(small)).feed(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n")).status());
        assertEquals("0123456789", HttpConn.one(new HttpConn(server(small)).feed(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n")).body());
        // trailers count against the header bytes
        assertEquals(431, HttpConn.one(new HttpConn(server(small)).feed(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + "z".repeat(70) + "\r\n\r\n")).status());
    }

    @Test
    void keepAliveRules() {
        HttpConn c10 = conn();
        Resp r = HttpConn.one(c10.feed("GET /plaintext HTTP/1.0\r\n\r\n"));
        assertEquals("close", r.header("connection"));
        assertTrue(c10.transport.closed);
        assertFalse(c10.transport.outputShutdown, "a normal close, not an error linger");

        HttpConn ka = conn();
        String raw = ka.feed("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertEquals("keep-alive", HttpConn.one(raw).header("connection"));
        assertFalse(ka.transport.closed);

        HttpConn close = conn();
        raw = close.feed("GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: foo, Close\r\n\r\n" + get("/bytes"));
        assertEquals(1, HttpConn.parse(raw).size(), "requests after Connection: close are not answered");
        assertEquals("close", HttpConn.parse(raw).get(0).header("connection"));
        assertTrue(close.transport.closed);

        HttpConn both = conn();
        both.feed("GET /plaintext HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n");
        assertTrue(both.transport.closed);
    }

    @Test
    void leadingEmptyLinesAreIgnored() {
        assertEquals(200, HttpConn.one(conn().feed("\r\n\r\n" + get("/plaintext"))).status());
    }

    /** Found by HostileCorpusTest: the 8-byte bound on leading empty lines was measured from the last one. */
    @Test
    void regressionMoreThanEightBytesOfLeadingEmptyLinesAreRefusedInAnyReadSplit() {
        assertEquals(200, HttpConn.one(conn().feed("\r\n".repeat(4) + get("/plaintext"))).status());
        assertEquals(400, HttpConn.one(conn().feed("\r\n".repeat(5) + get("/plaintext"))).status());
        assertEquals(400, HttpConn.one(conn().feed("\r\n".repeat(1000))).status());
        assertEquals(400, HttpConn.one(conn().feed("\r\n\r\n", "\r\n", "\r\n", "\r\n")).status());
        HttpConn c = conn(); // counted per request on a keep-alive connection
        List<Resp> two = HttpConn.parse(c.feed(get("/plaintext") + "\r\n".repeat(4) + get("/plaintext")));
        assertEquals(List.of(200, 200), two.stream().map(Resp::status).toList());
    }

    @Test
    void expectContinue() {
        HttpConn c = conn();
        String raw = c.feed("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", raw);
        assertEquals("abc", HttpConn.one(c.feed("abc")).body());
    }

    @Test
    void requestTimeoutSends408AndIsNotExtendedByTrickling() {
        HttpConn c = conn();
        c.feed("GET /plaintext HTTP/1.1\r\n");
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        c.feed("Host: x\r\n");
        c.server.maintenance();
        assertFalse(c.transport.closed);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        c.server.maintenance();
        Resp r = HttpConn.one(c.transport.take());
        assertEquals(408, r.status());
        assertEquals("close", r.header("connection"));
        assertTrue(c.transport.closed);
        assertEquals("", c.feed("\r\n"), "a late end of head is not answered");
        assertEquals(1, c.server.stats().requestTimeouts());
    }

    @Test
    void idleKeepAliveConnectionsAreClosedSilently() {
        HttpConn c = conn();
        c.feed(get("/plaintext"));
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        c.server.maintenance();
        assertFalse(c.transport.closed);
        c.transport.pendingSendBytes = 1000; // still sending: not idle
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        c.server.maintenance();
        assertFalse(c.transport.closed);
        c.transport.pendingSendBytes = 0;
        c.server.maintenance();
        assertTrue(c.transport.closed);
        assertEquals("", c.transport.take());
    }

    @Test
    void silentNewConnectionsGetTheRequestTimeout() {
        HttpConn c = conn();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        c.server.maintenance();
        assertTrue(c.transport.closed);
        assertEquals("", c.transport.take());
    }

    @Test
    void connectionsOverTheLimitOrUnderMemoryPressureGet503() {
        HttpServer s = server(HttpLimits.builder().maxConnections(1).build());
        HttpConn first = new HttpConn(s);
        HttpConn second = new HttpConn(s);
        Resp r = HttpConn.one(second.feed(get("/plaintext")));
        assertEquals(503, r.status());
        assertEquals("close", r.header("connection"));
        assertEquals(200, HttpConn.one(first.feed(get("/plaintext"))).status());
        second.close();
        assertEquals(1, s.stats().activeConnections());
        assertEquals(1, s.stats().rejectedConnections());

        HttpServer p = server(HttpLimits.DEFAULT);
        p.memoryPressure(() -> true);
        assertEquals(503, HttpConn.one(new HttpConn(p).feed(get("/plaintext"))).status());
    }

    @Test
    void listenerAndCounters() {
        HttpConn c = conn();
        c.feed(get("/plaintext") + get("/nope"));
        c.feed("BAD\r\n\r\n");
        assertEquals(List.of("GET /plaintext 200", "GET /nope 404", "null - 400"), heard);
        HttpServerStats st = c.server.stats();
        assertEquals(2, st.requests());
        assertEquals(1, st.responses(2));
        assertEquals(2, st.responses(4));
        assertEquals(3, st.responses());
    }

    @Test
    void aDateIsTakenFromTheCacheInEveryResponse() {
        HttpConn c = conn();
        for (String p : new String[] {"/plaintext", "/json", "/nope", "/null"}) {
            assertEquals(DATE, HttpConn.one(c.feed(get(p))).header("date"), p);
        }
    }
}

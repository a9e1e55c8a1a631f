package io.pxj.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the parser and the protocol on arbitrary and grammar-shaped input. */
class ParserPropertiesTest {
    private static final Set<Integer> ERRORS = Set.of(400, 413, 414, 431, 501, 505);
    private static final HttpLimits SMALL = HttpLimits.builder().maxRequestLineBytes(64).maxHeaderBytes(128)
            .maxHeaderCount(4).maxBodyBytes(32).build();

    /** Pieces of (mostly) HTTP: random sequences of these reach deep parser states far more often than noise. */
    private static final List<String> TOKENS = List.of("GET", "HEAD", "POST", "FOO", " ", "/", "/echo", "/plaintext",
            "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "\r\n", "\r\n\r\n", "\r", "\n", "Host: x", "Content-Length: 3",
            "Content-Length: 99", "Transfer-Encoding: chunked", "Connection: close", "Expect: 100-continue", "abc",
            "5\r\nhello\r\n", "0\r\n\r\n", ";ext", ":", "%2e", "%2f", "..", "?q=1", "\u0000", "\t", "x");

    static HttpServer server(HttpLimits limits) {
        return HttpServer.builder().clocks(() -> 784_111_777_000L, System::nanoTime)
                .route("/plaintext", TechEmpower.plaintext())
                .route("/echo", (q, r) -> q.bodyBytes(), HttpMethod.POST, HttpMethod.GET)
                .limits(limits).build();
    }

    @Provide
    Arbitrary<String> httpish() {
        return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(40).map(l -> String.join("", l));
    }

    /** As {@link #httpish()} without HEAD, so every response can be delimited by its Content-Length. */
    @Provide
    Arbitrary<String> httpishWithBodies() {
        return Arbitraries.of(TOKENS.stream().filter(t -> !t.equals("HEAD")).toList())
                .list().ofMinSize(1).ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property(tries = 1000)
    void parserOnRandomBytesYieldsARequestNeedMoreOrAnErrorStatus(@ForAll @Size(max = 300) byte[] data) {
        checkParser(data);
    }

    @Property(tries = 1000)
    void parserOnHttpishInputYieldsARequestNeedMoreOrAnErrorStatus(@ForAll("httpish") String s) {
        checkParser(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void checkParser(byte[] data) {
        HttpRequestParser p = new HttpRequestParser(SMALL);
        ByteBuffer b = ByteBuffer.wrap(data);
        int end = p.findHeadEnd(b, 0, data.length);
        if (end == HttpRequestParser.NEED_MORE) return;
        if (end < 0) {
            assertTrue(ERRORS.contains(-end), "status " + -end);
            return;
        }
        assertTrue(end <= data.length);
        HttpRequest req = new HttpRequest();
        int r = p.parseHead(b, p.requestStart(), end, req);
        if (r < 0) {
            assertTrue(ERRORS.contains(-r), "status " + -r);
        } else {
            assertEquals(0, r);
            assertTrue(req.method != null && req.pathLength > 0 && req.path[0] == '/');
            String path = req.path();
            assertFalse(path.contains("/../") || path.endsWith("/..") || path.contains("//") || path.contains("\\"), path);
            for (int i = 0; i < req.headerCount(); i++) req.header(req.headerName(i)); // accessors never throw
        }
    }

    @Property(tries = 300)
    void protocolNeverThrowsAndAnswersOnlyWellFormedResponses(@ForAll("httpishWithBodies") String s,
                                                              @ForAll @IntRange(min = 1, max = 50) int split) {
        checkProtocol(s, split);
    }

    @Property(tries = 300)
    void protocolOnRandomBytes(@ForAll @Size(max = 400) byte[] data, @ForAll @IntRange(min = 1, max = 50) int split) {
        checkProtocol(new String(data, StandardCharsets.ISO_8859_1), split);
    }

    private static void checkProtocol(String s, int split) {
        HttpConn c = new HttpConn(server(SMALL));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i += split) out.append(c.feed(s.substring(i, Math.min(s.length(), i + split))));
        String raw = out.toString();
        if (raw.isEmpty()) return; // waiting for more
        raw = raw.replace("HTTP/1.1 100 Continue\r\n\r\n", "");
        if (raw.isEmpty()) return;
        List<HttpConn.Resp> responses = HttpConn.parse(raw);
        for (int i = 0; i < responses.size(); i++) {
            int st = responses.get(i).status();
            assertTrue(st == 200 || st == 204 || st == 404 || st == 405 || ERRORS.contains(st), "status " + st);
            if (ERRORS.contains(st)) {
                assertEquals(responses.size() - 1, i, "an error response is the last one");
                assertEquals("close", responses.get(i).header("connection"));
            }
        }
    }

    @Property(tries = 300)
    void anySplitOfValidPipelinedRequestsGivesTheSameResponses(@ForAll @IntRange(min = 1, max = 6) int n,
                                                               @ForAll @IntRange(min = 1, max = 97) int split) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i % 3 == 0 ? "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
                    : i % 3 == 1 ? "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
                    : "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1;e\r\nd\r\n0\r\n\r\n");
        }
        String in = sb.toString();
        String whole = new HttpConn(server(HttpLimits.DEFAULT)).feed(in);
        HttpConn c = new HttpConn(server(HttpLimits.DEFAULT));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < in.length(); i += split) out.append(c.feed(in.substring(i, Math.min(in.length(), i + split))));
        assertEquals(whole, out.toString());
        assertEquals(n, HttpConn.parse(whole).size());
    }

    @Property(tries = 1000)
    void normalisedPathsNeverClimbOrContainDotSegments(@ForAll("paths") String path) {
        String n = PathNormalizerTest.norm(path);
        if (n.equals("INVALID")) return;
        assertTrue(n.startsWith("/"));
        for (String seg : n.substring(1).split("/", -1)) {
            assertFalse(seg.equals("..") || seg.equals("."), n);
        }
        assertFalse(n.contains("//") || n.contains("\\") || n.indexOf('\0') >= 0, n);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/", ".", "..", "a", "%2e", "%2E", "%2f", "%5c", "%00", "%", "%%", "\\", "%252e")
                .list().ofMaxSize(12).map(l -> "/" + String.join("", l));
    }
}

package io.pxj.http;

import io.pxj.http.HttpConn.Resp;
import io.pxj.runtime.FileRegion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticFilesTest {
    static final long MTIME = 784_111_777_000L; // Sun, 06 Nov 1994 08:49:37 GMT

    @TempDir
    Path tmp;
    Path root;
    HttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("www"));
        write(root.resolve("index.html"), "<h1>home</h1>");
        write(root.resolve("a.txt"), "0123456789");
        write(root.resolve("empty.bin"), "");
        write(root.resolve(".env"), "SECRET=1");
        Files.createDirectories(root.resolve("sub"));
        write(root.resolve("sub/b.css"), "b{}");
        write(root.resolve("sub/it's & more.txt"), "x");
        Files.createDirectories(root.resolve("sub/dir"));
        write(tmp.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(root.resolve("link.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("inside.txt"), root.resolve("a.txt"));
        server = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .prefix("/static/", files(root), HttpMethod.GET)
                .prefix("/", files(root), HttpMethod.GET)
                .clocks(() -> MTIME + 3_600_000, System::nanoTime)
                .build();
    }

    /** The handler under test: the default (small files cached); {@link Uncached} runs every test without cache. */
    StaticFiles files(Path root) {
        return new StaticFiles(root);
    }

    boolean cached() {
        return true;
    }

    static void write(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.fromMillis(MTIME));
    }

    Resp get(String target, String... headers) {
        return HttpConn.one(new HttpConn(server).feed(request("GET", target, headers)));
    }

    static String request(String method, String target, String... headers) {
        StringBuilder sb = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) sb.append(h).append("\r\n");
        return sb.append("\r\n").toString();
    }

    String etag() {
        return get("/a.txt").header("etag");
    }

    @Test
    void servesFilesWithValidatorsAsOneZeroCopySend() {
        HttpConn c = new HttpConn(server);
        c.feed(request("GET", "/a.txt").getBytes(StandardCharsets.US_ASCII));
        assertEquals(1, c.transport.sends.size());
        if (!cached()) {
            FileRegion fr = assertInstanceOf(FileRegion.class, c.transport.sends.get(0));
            assertEquals(0, fr.offset());
            assertEquals(10, fr.length());
            assertTrue(StandardCharsets.US_ASCII.decode(fr.head().duplicate()).toString().startsWith("HTTP/1.1 200 OK\r\n"));
        }
        Resp r = HttpConn.one(c.transport.take());
        assertEquals("0123456789", r.body());
        assertEquals("text/plain; charset=utf-8", r.header("content-type"));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", r.header("last-modified"));
        assertTrue(r.header("etag").matches("\"[0-9a-f]+-a\""), r.header("etag"));
        assertEquals("bytes", r.header("accept-ranges"));
        assertFalse(c.transport.closed);
    }

    @Test
    void pipelinedResponsesAroundAFileKeepTheirOrder() {
        HttpConn c = new HttpConn(server);
        c.feed((request("GET", "/plaintext") + request("GET", "/a.txt") + request("HEAD", "/a.txt")
                + request("GET", "/sub/b.css")).getBytes(StandardCharsets.US_ASCII));
        if (!cached()) {
            // [plaintext + head of a.txt] + a.txt, then [HEAD's head + head of b.css] + b.css
            assertEquals(2, c.transport.sends.size());
            assertInstanceOf(FileRegion.class, c.transport.sends.get(0));
            assertInstanceOf(FileRegion.class, c.transport.sends.get(1));
        }
        String raw = c.transport.take();
        int hello = raw.indexOf("Hello, World!");
        int file = raw.indexOf("0123456789");
        int head = raw.indexOf("HTTP/1.1 200 OK", file);
        int css = raw.indexOf("HTTP/1.1 200 OK", head + 1);
        assertTrue(0 < hello && hello < file && file < head && head < css, raw);
        assertTrue(raw.endsWith("\r\n\r\nb{}"), raw);
        assertEquals(4, raw.split("HTTP/1.1 200 OK", -1).length - 1);
    }

    @Test
    void headSendsNoBody() {
        String raw = new HttpConn(server).feed(request("HEAD", "/a.txt"));
        assertTrue(raw.endsWith("\r\n\r\n"));
        assertEquals("10", HttpConn.parse(raw, true).get(0).header("content-length"));
    }

    @Test
    void emptyFile() {
        Resp r = get("/empty.bin");
        assertEquals(200, r.status());
        assertEquals("0", r.header("content-length"));
        assertEquals("application/octet-stream", r.header("content-type"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "bytes=0-3|206|0123|bytes 0-3/10", "bytes=5-|206|56789|bytes 5-9/10", "bytes=-3|206|789|bytes 7-9/10",
            "bytes=-20|206|0123456789|bytes 0-9/10", "bytes=8-100|206|89|bytes 8-9/10", "bytes=9-9|206|9|bytes 9-9/10",
            "BYTES=1-1|206|1|bytes 1-1/10", "bytes = 1-1|200|0123456789|",
            "bytes=10-|416||bytes */10", "bytes=10-20|416||bytes */10", "bytes=-0|416||bytes */10",
            "bytes=0-1,3-4|200|0123456789|", "bytes=x|200|0123456789|", "bytes=5-2|200|0123456789|",
            "items=0-1|200|0123456789|", "bytes=--1|200|0123456789|"
    })
    void ranges(String range, int status, String body, String contentRange) {
        Resp r = get("/a.txt", "Range: " + range);
        assertEquals(status, r.status());
        assertEquals(body == null ? "" : body, r.body());
        assertEquals(contentRange, r.header("content-range"));
    }

    @Test
    void ifRange() {
        String etag = etag();
        assertEquals(206, get("/a.txt", "Range: bytes=0-0", "If-Range: " + etag).status());
        assertEquals(200, get("/a.txt", "Range: bytes=0-0", "If-Range: \"other\"").status());
        assertEquals(200, get("/a.txt", "Range: bytes=0-0", "If-Range: W/" + etag).status());
        assertEquals(206, get("/a.txt", "Range: bytes=0-0", "If-Range: Sun, 06 Nov 1994 08:49:37 GMT").status());
        assertEquals(200, get("/a.txt", "Range: bytes=0-0", "If-Range: Sun, 06 Nov 1994 08:49:38 GMT").status());
        assertEquals(200, HttpConn.parse(new HttpConn(server).feed(request("HEAD", "/a.txt", "Range: bytes=0-0")), true)
                .get(0).status());
    }

    @Test
    void conditionalRequests() {
        String etag = etag();
        Resp nm = get("/a.txt", "If-None-Match: " + etag);
        assertEquals(304, nm.status());
        assertEquals(etag, nm.header("etag"));
        assertNull(nm.header("content-length"));
        assertEquals("", nm.body());
        assertEquals(304, get("/a.txt", "If-None-Match: \"x\", W/" + etag).status());
        assertEquals(304, get("/a.txt", "If-None-Match: *").status());
        assertEquals(200, get("/a.txt", "If-None-Match: \"x\"").status());
        assertEquals(304, get("/a.txt", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT").status());
        assertEquals(304, get("/a.txt", "If-Modified-Since: Mon, 07 Nov 1994 08:49:37 GMT").status());
        assertEquals(200, get("/a.txt", "If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT").status());
        assertEquals(200, get("/a.txt", "If-Modified-Since: garbage").status());
        // If-None-Match wins over If-Modified-Since
        assertEquals(200, get("/a.txt", "If-None-Match: \"x\"", "If-Modified-Since: Mon, 07 Nov 1994 08:49:37 GMT").status());
    }

    @Test
    void directories() {
        assertEquals("<h1>home</h1>", get("/").body());
        Resp redirect = get("/sub?x=1");
        assertEquals(301, redirect.status());
        assertEquals("/sub/?x=1", redirect.header("location"));
        Resp listing = get("/sub/");
        assertEquals(200, listing.status());
        assertEquals("text/html; charset=utf-8", listing.header("content-type"));
        assertTrue(listing.body().contains("<a href=\"b.css\">b.css</a>"), listing.body());
        assertTrue(listing.body().contains("<a href=\"dir/\">dir/</a>"), listing.body());
        assertTrue(listing.body().contains("<a href=\"it%27s%20%26%20more.txt\">it&#39;s &amp; more.txt</a>"), listing.body());
        assertEquals(301, get("/static").status());
        assertEquals("/static/", get("/static").header("location"));
        assertEquals("0123456789", get("/static/a.txt").body());
        assertEquals("x", get("/sub/it%27s%20%26%20more.txt").body());
    }

    @Test
    void symlinksInsideTheRootAreFollowedButNotOutside() {
        assertEquals("0123456789", get("/inside.txt").body());
        assertEquals(404, get("/link.txt").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/.env", "/%2eenv", "/sub/.", "/a.txt.", "/a.txt%20", "/a.txt::$DATA", "/a.txt:x", "/C:/Windows/win.ini",
            "/CON", "/con.txt", "/sub/NUL", "/sub/com1.css", "/a.txt%3F", "/a*.txt", "/a%3C.txt", "/nope.txt",
            "/static/../secret.txt", "/static/%2e%2e/secret.txt", "/a.txt/", "/%2F%2Fetc/passwd"
    })
    void refusesEscapesAndSpecialNames(String target) {
        int status = get(target).status();
        assertTrue(status == 404 || status == 400 || (target.equals("/sub/.") && status == 200), target + " -> " + status);
        if (!target.equals("/sub/.")) assertFalse(get(target).body().contains("secret"), target);
    }

    @Test
    void parseRangeDirect() {
        assertEquals(StaticFiles.UNSATISFIABLE, StaticFiles.parseRange("bytes=-1", 0));
        assertEquals(StaticFiles.UNSATISFIABLE, StaticFiles.parseRange("bytes=0-", 0));
        assertNull(StaticFiles.parseRange("bytes=99999999999999999999-", 10));
    }

    @Test
    void escapeHtml() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", StaticFiles.escapeHtml("<a href=\"x\">&'"));
    }
}

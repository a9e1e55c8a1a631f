package io.pxj.http;

import io.pxj.http.HttpConn.Resp;
import io.pxj.runtime.FileRegion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small-file cache of {@link StaticFiles}: hits, validation, budget, size limit, ranges and HEAD. */
class StaticFilesCacheTest {
    static final long MTIME = 784_111_777_000L;

    @TempDir
    Path root;

    @BeforeEach
    void setUp() throws IOException {
        StaticFilesTest.write(root.resolve("a.txt"), "0123456789");
        StaticFilesTest.write(root.resolve("b.css"), "b{}");
        StaticFilesTest.write(root.resolve("big.bin"), "x".repeat(5000));
    }

    static HttpServer server(StaticFiles files) {
        return HttpServer.builder().prefix("/", files, HttpMethod.GET).clocks(() -> MTIME + 3_600_000, System::nanoTime)
                .build();
    }

    static Object lastSend(HttpConn c) {
        return c.transport.sends.get(c.transport.sends.size() - 1);
    }

    static Resp get(HttpServer s, String target, String... headers) {
        return HttpConn.one(new HttpConn(s).feed(StaticFilesTest.request("GET", target, headers)));
    }

    @Test
    void smallFilesAreServedFromMemoryLargeOnesFromTheFile() {
        StaticFiles files = new StaticFiles(root, true, 1 << 20, 4096, 60_000);
        HttpServer s = server(files);
        for (int i = 0; i < 2; i++) {
            HttpConn c = new HttpConn(s);
            c.feed(StaticFilesTest.request("GET", "/a.txt").getBytes(StandardCharsets.US_ASCII));
            assertFalse(lastSend(c) instanceof FileRegion, "cached: no file send");
            Resp r = HttpConn.one(c.transport.take());
            assertEquals("0123456789", r.body());
            assertEquals("bytes", r.header("accept-ranges"));
            assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", r.header("last-modified"));
        }
        HttpConn c = new HttpConn(s);
        c.feed(StaticFilesTest.request("GET", "/big.bin").getBytes(StandardCharsets.US_ASCII));
        FileRegion fr = assertInstanceOf(FileRegion.class, lastSend(c)); // over cacheMaxFileBytes: streamed
        assertEquals(5000, fr.length());
        assertEquals(1, files.cachedFiles());
        assertEquals(10, files.cachedBytes());
    }

    @Test
    void budgetIsRespected() {
        StaticFiles files = new StaticFiles(root, true, 12, 4096, 60_000);
        HttpServer s = server(files);
        assertEquals("0123456789", get(s, "/a.txt").body());
        assertEquals("b{}", get(s, "/b.css").body()); // 10 + 3 > 12: served from the file, not cached
        assertEquals("b{}", get(s, "/b.css").body());
        assertEquals(1, files.cachedFiles());
        assertEquals(10, files.cachedBytes());
        HttpConn c = new HttpConn(s);
        c.feed(StaticFilesTest.request("GET", "/b.css").getBytes(StandardCharsets.US_ASCII));
        assertInstanceOf(FileRegion.class, lastSend(c));
    }

    @Test
    void changesArePickedUpWhenRevalidatingOnEveryRequest() throws IOException {
        StaticFiles files = new StaticFiles(root, true, 1 << 20, 4096, 0);
        HttpServer s = server(files);
        Resp first = get(s, "/a.txt");
        assertEquals("0123456789", first.body());
        Files.writeString(root.resolve("a.txt"), "changed");
        Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.fromMillis(MTIME + 1000));
        Resp second = get(s, "/a.txt");
        assertEquals("changed", second.body());
        assertFalse(first.header("etag").equals(second.header("etag")));
        assertEquals(7, files.cachedBytes());
        // same size, new modification time: also a change
        Files.writeString(root.resolve("a.txt"), "CHANGED");
        Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.fromMillis(MTIME + 2000));
        assertEquals("CHANGED", get(s, "/a.txt").body());
        Files.delete(root.resolve("a.txt"));
        assertEquals(404, get(s, "/a.txt").status());
        assertEquals(0, files.cachedBytes());
        assertEquals(0, files.cachedFiles());
    }

    @Test
    void withinTheRevalidationIntervalTheCachedCopyIsServed() throws IOException {
        StaticFiles files = new StaticFiles(root, true, 1 << 20, 4096, 3_600_000);
        HttpServer s = server(files);
        assertEquals("0123456789", get(s, "/a.txt").body());
        Files.writeString(root.resolve("a.txt"), "changed");
        assertEquals("0123456789", get(s, "/a.txt").body()); // documented: stale for up to the interval
    }

    @Test
    void rangesHeadAndConditionalsFromTheCache() {
        HttpServer s = server(new StaticFiles(root, true, 1 << 20, 4096, 60_000));
        String etag = get(s, "/a.txt").header("etag");
        Resp r = get(s, "/a.txt", "Range: bytes=2-4");
        assertEquals(206, r.status());
        assertEquals("234", r.body());
        assertEquals("bytes 2-4/10", r.header("content-range"));
        assertEquals("789", get(s, "/a.txt", "Range: bytes=-3").body());
        assertEquals(416, get(s, "/a.txt", "Range: bytes=10-").status());
        assertEquals(304, get(s, "/a.txt", "If-None-Match: " + etag).status());
        assertEquals("0123456789", get(s, "/a.txt").body()); // the range did not move the shared buffer
        String raw = new HttpConn(s).feed(StaticFilesTest.request("HEAD", "/a.txt"));
        assertTrue(raw.endsWith("\r\n\r\n"), raw);
        assertEquals("10", HttpConn.parse(raw, true).get(0).header("content-length"));
        assertEquals("text/plain; charset=utf-8", HttpConn.parse(raw, true).get(0).header("content-type"));
    }

    @Test
    void unsafePathsAreRefusedEvenWhenSomethingIsCached() throws IOException {
        StaticFilesTest.write(root.resolve(".env"), "SECRET=1");
        HttpServer s = server(new StaticFiles(root, true, 1 << 20, 4096, 60_000));
        assertEquals(404, get(s, "/.env").status());
        assertEquals(404, get(s, "/.env").status());
        assertEquals(404, get(s, "/a.txt/").status());
        assertEquals(200, get(s, "/a.txt").status());
        assertEquals(404, get(s, "/a.txt/").status());
    }

    @Test
    void aSymbolicLinkRepointedOutsideTheRootIsNoLongerServed() throws IOException {
        Path outside = Files.createTempFile("pxj-outside", ".txt");
        try {
            Files.writeString(outside, "top secret");
            Path link = root.resolve("link.txt");
            Files.createSymbolicLink(link, root.resolve("a.txt"));
            StaticFiles files = new StaticFiles(root, true, 1 << 20, 4096, 0);
            HttpServer s = server(files);
            assertEquals("0123456789", get(s, "/link.txt").body());
            Files.delete(link);
            Files.createSymbolicLink(link, outside);
            assertEquals(404, get(s, "/link.txt").status());
            assertEquals(0, files.cachedFiles());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StaticFiles(root, true, -1, 0, 0));
    }
}

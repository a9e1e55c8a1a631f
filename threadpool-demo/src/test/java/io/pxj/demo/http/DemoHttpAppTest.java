package io.pxj.demo.http;

import io.pxj.demo.wiki.WikiIndex;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.PxStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routes, driven directly: no HTTP server or runtime involved. */
class DemoHttpAppTest {
    @TempDir
    static Path dir;
    static WikiIndex index;
    static LiveMetrics metrics = new LiveMetrics(0);
    static DemoHttpApp app;
    static final PxStats STATS = new PxStats("test", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
            Map.of("acceptsPosted", 8L));

    @BeforeAll
    static void setUp() throws IOException {
        index = WikiIndex.build(dir, 2000);
        app = new DemoHttpApp(() -> STATS, metrics, DashboardResources.load());
    }

    static DemoResponse get(String path, boolean published) throws Exception {
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        DemoRoute best = null;
        for (DemoRoute r : app.routes()) {
            boolean match = r.prefix() ? path.startsWith(r.path()) : path.equals(r.path());
            if (match && (best == null || r.path().length() > best.path().length())) best = r;
        }
        assertNotNull(best, "a route for " + path);
        String remainder = best.prefix() ? path.substring(best.path().length()) : "";
        DemoRequest.PublishedState state = new DemoRequest.PublishedState() {
            @Override
            public <T> T published(String name, Class<T> type) {
                return published && name.equals(WikiIndex.PUBLISHED_NAME) ? type.cast(index) : null;
            }
        };
        return best.handler().handle(new DemoRequest("GET", path, remainder, query, state));
    }

    static DemoResponse get(String path) throws Exception {
        return get(path, true);
    }

    @Test
    void techEmpowerEndpoints() throws Exception {
        assertEquals("Hello, World!", get("/plaintext").bodyText());
        assertTrue(get("/plaintext").contentType().startsWith("text/plain"));
        assertEquals("{\"message\":\"Hello, World!\"}", get("/json").bodyText());
        assertEquals(DemoResponse.JSON, get("/json").contentType());
    }

    @Test
    void dashboard() throws Exception {
        assertTrue(get("/").bodyText().contains("<canvas"));
        assertTrue(get("/dashboard/dashboard.js").contentType().startsWith("text/javascript"));
        assertEquals(404, get("/dashboard/nope.js").status());
    }

    @Test
    void statsIsJsonWithRuntimeAndRequestNumbers() throws Exception {
        metrics.onRequest("GET", "/", 200, 1_000_000);
        metrics.roll(1_000_000_000L);
        String json = get("/stats").bodyText();
        assertTrue(json.startsWith("{\"backend\":\"test\",\"px\":{\"backend\":\"test\",\"threads\":2,"), json);
        assertTrue(json.contains("\"arenaBytesInUse\":6"), json);
        assertTrue(json.contains("\"backendCounters\":{\"acceptsPosted\":8}"), json);
        assertTrue(json.contains("\"requests\":1"), json);
        assertTrue(json.contains("\"latency\":{\"count\":1,\"p50\":1000"), json);
        assertTrue(json.contains("\"wiki\":{"), json);
        assertTrue(json.contains("\"keys\":2000"), json);
        assertEquals("no-store", get("/stats").cacheControl());
    }

    @Test
    void lookupReturnsMatchingKeysWithRanges() throws Exception {
        String prefix = index.key(100).substring(0, 2);
        DemoResponse r = get("/lookup/" + prefix + "?limit=3");
        assertEquals(200, r.status());
        String json = r.bodyText();
        var expected = index.lookup(prefix, 3);
        StringBuilder results = new StringBuilder();
        for (var e : expected) {
            if (results.length() > 0) results.append(',');
            results.append("{\"key\":\"").append(e.key()).append("\",\"offset\":").append(e.offset())
                    .append(",\"length\":").append(e.length()).append('}');
        }
        assertEquals("{\"prefix\":\"" + prefix + "\",\"matches\":" + index.count(prefix) + ",\"limit\":3,\"results\":["
                + results + "]}", json);
        assertTrue(get("/lookup/").bodyText().contains("\"matches\":2000"));
        assertEquals(400, get("/lookup/ka?limit=0").status());
        assertEquals(400, get("/lookup/ka?limit=x").status());
        assertEquals(400, get("/lookup/ka?limit=100000").status());
    }

    @Test
    void recordIsAZeroCopyRangeOfTheDataFile() throws Exception {
        String key = index.key(777);
        DemoResponse r = get("/record/" + key);
        assertEquals(200, r.status());
        FileRegion region = (FileRegion) r.body();
        assertEquals(index.dataFile(), region.path());
        assertEquals(index.offset(777), region.offset());
        assertEquals(index.length(777), region.length());
        try (FileChannel ch = FileChannel.open(region.path())) {
            ByteBuffer b = ByteBuffer.allocate((int) region.length());
            ch.read(b, region.offset());
            assertTrue(new String(b.array(), StandardCharsets.US_ASCII).contains("\"title\":\"" + key + "\""));
        }
        assertEquals(404, get("/record/notakey").status());
        assertTrue(get("/record/notakey").bodyText().contains("no record for key 'notakey'"));
    }

    @Test
    void withoutAnIndexTheWikiRoutesSaySo() throws Exception {
        assertEquals(404, get("/lookup/ka", false).status());
        assertTrue(get("/record/x", false).bodyText().contains("disabled"));
        assertTrue(!get("/stats", false).bodyText().contains("\"wiki\""));
    }
}

package io.pxj.demo.http;

import io.pxj.demo.wiki.WikiIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's routes on a real io.pxj.http server in this JVM (the jar-level tests are the e2e *IT). */
class DemoHttpAppTest {
    @TempDir
    static Path dir;
    static WikiIndex index;
    static DemoServerFixture server;

    @BeforeAll
    static void setUp() throws Exception {
        index = WikiIndex.build(dir, 2000);
        server = new DemoServerFixture(index, null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    static String type(HttpResponse<?> r) {
        return r.headers().firstValue("content-type").orElse("");
    }

    @Test
    void techEmpowerEndpoints() throws Exception {
        HttpResponse<String> plain = get("/plaintext");
        assertEquals("Hello, World!", plain.body());
        assertEquals("text/plain", type(plain));
        HttpResponse<String> json = get("/json");
        assertEquals("{\"message\":\"Hello, World!\"}", json.body());
        assertEquals("application/json", type(json));
    }

    @Test
    void dashboard() throws Exception {
        HttpResponse<String> page = get("/");
        assertTrue(page.body().contains("<canvas"));
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(""));
        assertTrue(type(get("/dashboard/dashboard.js")).startsWith("text/javascript"));
        assertTrue(type(get("/dashboard/dashboard.css")).startsWith("text/css"));
        assertEquals(404, get("/dashboard/nope.js").statusCode());
        assertEquals(404, get("/nothing/here").statusCode(), "no --root: nothing else is served");
    }

    @Test
    void statsIsJsonWithRuntimeAndRequestNumbers() throws Exception {
        server.metrics.record(200, 1_000_000);
        server.metrics.roll(System.nanoTime());
        HttpResponse<String> r = get("/stats");
        String json = r.body();
        assertEquals("application/json", type(r));
        assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
        assertTrue(json.matches("(?s)\\{\"backend\":\"\\w+\",\"px\":\\{\"backend\":\"\\w+\",\"threads\":2,.*"), json);
        assertTrue(json.contains("\"arenaBytesInUse\":"), json);
        assertTrue(json.contains("\"backendCounters\":{"), json);
        assertTrue(json.contains("\"http\":{\"uptimeMs\":"), json);
        assertTrue(json.contains("\"serverTime\":{\"what\":\"in server: read \u2192 written\",\"unit\":\"\u00b5s\",\"count\":"), json);
        assertTrue(json.contains("\"handlerTime\":{\"what\":\"handler: parsed head \u2192 encoded response\",\"unit\":\"\u00b5s\",\"count\":"), json);
        assertTrue(json.contains("\"wiki\":{"), json);
        assertTrue(json.contains("\"keys\":2000"), json);
        assertTrue(json.contains("\"jvm\":{"), json);
    }

    @Test
    void lookupReturnsMatchingKeysWithRanges() throws Exception {
        String prefix = index.key(100).substring(0, 2);
        HttpResponse<String> r = get("/lookup/" + prefix + "?limit=3");
        assertEquals(200, r.statusCode());
        var expected = index.lookup(prefix, 3);
        StringBuilder results = new StringBuilder();
        for (var e : expected) {
            if (results.length() > 0) results.append(',');
            results.append("{\"key\":\"").append(e.key()).append("\",\"offset\":").append(e.offset())
                    .append(",\"length\":").append(e.length()).append('}');
        }
        assertEquals("{\"prefix\":\"" + prefix + "\",\"matches\":" + index.count(prefix) + ",\"limit\":3,\"results\":["
                + results + "]}", r.body());
        assertTrue(get("/lookup/").body().contains("\"matches\":2000"));
        assertTrue(get("/lookup").body().contains("\"matches\":2000"), "the prefix itself is the empty prefix");
        HttpResponse<String> bad = get("/lookup/ka?limit=0");
        assertEquals(400, bad.statusCode());
        assertEquals("{\"status\":400,\"error\":\"limit must be a number from 1 to 1000\"}", bad.body());
        assertEquals(400, get("/lookup/ka?limit=x").statusCode());
        assertEquals(400, get("/lookup/ka?limit=100000").statusCode());
    }

    @Test
    void recordIsExactlyTheRangeOfTheDataFile() throws Exception {
        String key = index.key(777);
        HttpResponse<String> r = get("/record/" + key);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", type(r));
        assertEquals(read(index.dataFile(), index.offset(777), index.length(777)), r.body());
        assertTrue(r.body().contains("\"title\":\"" + key + "\""), r.body());
        HttpResponse<String> missing = get("/record/notakey");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("no record for key 'notakey'"), missing.body());
    }

    @Test
    void metricsHearEveryResponse() throws Exception {
        long before = server.metrics.roll(System.nanoTime()).requests();
        for (int i = 0; i < 5; i++) get("/plaintext");
        get("/nothing/here");
        LiveMetrics.Snapshot s = server.metrics.roll(System.nanoTime());
        assertEquals(before + 6, s.requests());
        assertTrue(s.status().get("4xx") >= 1, s.toString());
    }

    @Test
    void withoutAnIndexTheWikiRoutesSaySo() throws Exception {
        try (DemoServerFixture bare = new DemoServerFixture(null, null)) {
            assertEquals(404, bare.get("/lookup/ka").statusCode());
            assertTrue(bare.get("/record/x").body().contains("disabled"));
            assertFalse(bare.get("/stats").body().contains("\"wiki\""));
        }
    }

    private static String read(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            ch.read(b, offset);
            return new String(b.array(), StandardCharsets.US_ASCII);
        }
    }
}

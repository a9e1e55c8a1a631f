package io.pxj.demo.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts {@code java -jar threadpool-demo.jar http --port 0} and talks to it with java.net.http. */
class HttpDemoIT {
    @TempDir
    static Path data;
    @TempDir
    static Path root;
    static DemoJar.Server server;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Skips each test (visibly) while a part is missing; starts the server once. */
    @BeforeEach
    void start() throws Exception {
        DemoJar.assumeParts("runtime-core", "io.pxj.http");
        if (server != null) return;
        Files.writeString(root.resolve("hello.txt"), "static hello\n");
        server = DemoJar.Server.start(DemoJar.HTTP_LISTENING, 120, "http", "--port", "0", "--host", "127.0.0.1",
                "--index-keys", "100000", "--data", data.toString(), "--root", root.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server == null) return;
        try {
            int code = server.stop();
            if (!System.getProperty("os.name").startsWith("Windows")) { // destroy() is SIGTERM: a graceful stop
                assertEquals(0, code, server.err.text());
                assertTrue(server.err.text().contains("http: stopped"), server.err.text());
            }
            assertFalse(server.err.text().contains("\tat "), "no stack traces in the log:\n" + server.err.text());
        } finally {
            server.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void techEmpowerEndpoints() throws Exception {
        HttpResponse<String> plain = get("/plaintext");
        assertEquals(200, plain.statusCode());
        assertEquals("Hello, World!", plain.body());
        HttpResponse<String> json = get("/json");
        assertEquals(200, json.statusCode());
        assertEquals("{\"message\":\"Hello, World!\"}", json.body());
        assertTrue(json.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    @Test
    void dashboardAndStaticFiles() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<canvas"));
        assertEquals(200, get("/dashboard/dashboard.js").statusCode());
        assertEquals("static hello\n", get("/hello.txt").body());
        assertEquals(404, get("/no/such/file").statusCode());
    }

    @Test
    void statsCountRequests() throws Exception {
        for (int i = 0; i < 20; i++) get("/plaintext");
        Thread.sleep(2500); // the metrics roll once a second
        String stats = get("/stats").body();
        assertTrue(stats.contains("\"px\":{"), stats);
        assertTrue(stats.contains("\"keys\":100000"), stats);
        Matcher m = Pattern.compile("\"requests\":(\\d+)").matcher(stats);
        assertTrue(m.find(), stats);
        assertTrue(Long.parseLong(m.group(1)) >= 20, stats);
    }

    @Test
    void wikiLookupAndRangedRecord() throws Exception {
        HttpResponse<String> lookup = get("/lookup/ka?limit=5");
        assertEquals(200, lookup.statusCode());
        Matcher m = Pattern.compile("\\{\"key\":\"([a-z]+)\",\"offset\":(\\d+),\"length\":(\\d+)}").matcher(lookup.body());
        int found = 0;
        while (m.find()) {
            found++;
            assertTrue(m.group(1).startsWith("ka"), lookup.body());
            HttpResponse<String> record = get("/record/" + m.group(1));
            assertEquals(200, record.statusCode());
            assertEquals(read(Long.parseLong(m.group(2)), Integer.parseInt(m.group(3))), record.body(),
                    "the record is exactly the data file's range");
        }
        assertEquals(5, found, lookup.body());
        assertEquals(404, get("/record/nosuchkey").statusCode());
    }

    private static String read(long offset, int length) throws Exception {
        try (var files = Files.list(data); FileChannel ch = FileChannel.open(files.findFirst().orElseThrow())) {
            ByteBuffer b = ByteBuffer.allocate(length);
            ch.read(b, offset);
            return new String(b.array(), StandardCharsets.US_ASCII);
        }
    }
}

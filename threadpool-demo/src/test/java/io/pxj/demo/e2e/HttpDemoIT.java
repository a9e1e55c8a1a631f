package io.pxj.demo.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts {@code java -jar threadpool-demo.jar http --port 0 --root DIR} once and talks to it with java.net.http
 * and raw sockets: TechEmpower endpoints, dashboard, static files (Range, 304), /stats, the wiki index, path
 * traversal, HTTP/1.0 keep-alive and pipelining; then stops it as Ctrl-C would.
 */
class HttpDemoIT {
    @TempDir
    static Path data;
    @TempDir
    static Path base;
    static Path root;
    static byte[] blob;
    static DemoJar.Server server;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String SECRET = "top secret: outside the static root";

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectory(base.resolve("www"));
        Files.writeString(base.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("hello.txt"), "static hello\n");
        blob = new byte[10_000];
        for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 31 + 7);
        Files.write(root.resolve("blob.bin"), blob);
        try {
            Files.createSymbolicLink(root.resolve("escape.txt"), base.resolve("secret.txt"));
        } catch (IOException | UnsupportedOperationException | SecurityException noSymlinks) {
            // Windows without the privilege: the symlink case is simply not exercised
        }
        server = DemoJar.Server.start(DemoJar.HTTP_LISTENING, 120, "http", "--port", "0", "--host", "127.0.0.1",
                "--index-keys", "100000", "--data", data.toString(), "--root", root.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server == null) return;
        try {
            server.stopAfterUse("http");
        } finally {
            server.close();
        }
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends {@code request} on a fresh connection and reads until the server closes it (or 10 s pass). */
    static String raw(String request) throws IOException {
        URI u = server.uri("/");
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void techEmpowerEndpoints() throws Exception {
        HttpResponse<String> plain = get("/plaintext");
        assertEquals(200, plain.statusCode());
        assertEquals("Hello, World!", plain.body());
        assertEquals("text/plain", plain.headers().firstValue("content-type").orElse(""));
        assertTrue(plain.headers().firstValue("date").isPresent(), "Date header");
        assertEquals("pxj", plain.headers().firstValue("server").orElse(""));
        HttpResponse<String> json = get("/json");
        assertEquals(200, json.statusCode());
        assertEquals("{\"message\":\"Hello, World!\"}", json.body());
        assertEquals("application/json", json.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void dashboardAndItsFiles() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<canvas"));
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(get("/dashboard/dashboard.js").body().contains("fetch('/stats'"));
        assertEquals(200, get("/dashboard/dashboard.css").statusCode());
        assertEquals(404, get("/dashboard/missing.js").statusCode());
    }

    @Test
    void staticFilesWholeRangedAndConditional() throws Exception {
        assertEquals("static hello\n", get("/hello.txt").body());
        assertEquals(404, get("/no/such/file").statusCode());

        HttpResponse<byte[]> whole = getBytes("/blob.bin");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(blob, whole.body());
        assertEquals("bytes", whole.headers().firstValue("accept-ranges").orElse(""));
        String etag = whole.headers().firstValue("etag").orElseThrow();
        String lastModified = whole.headers().firstValue("last-modified").orElseThrow();

        HttpResponse<byte[]> part = getBytes("/blob.bin", "Range", "bytes=1000-1999");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 1000-1999/10000", part.headers().firstValue("content-range").orElse(""));
        assertArrayEquals(java.util.Arrays.copyOfRange(blob, 1000, 2000), part.body());
        HttpResponse<byte[]> suffix = getBytes("/blob.bin", "Range", "bytes=-10");
        assertEquals(206, suffix.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(blob, 9990, 10000), suffix.body());
        HttpResponse<byte[]> beyond = getBytes("/blob.bin", "Range", "bytes=20000-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */10000", beyond.headers().firstValue("content-range").orElse(""));
        assertEquals(200, getBytes("/blob.bin", "Range", "bytes=0-9", "If-Range", "\"stale\"").statusCode(),
                "a stale If-Range gets the whole file");

        HttpResponse<byte[]> byTag = getBytes("/blob.bin", "If-None-Match", etag);
        assertEquals(304, byTag.statusCode());
        assertEquals(0, byTag.body().length);
        assertEquals(304, getBytes("/blob.bin", "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, getBytes("/blob.bin", "If-None-Match", "\"other\"").statusCode());

        String head = raw("HEAD /blob.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertTrue(head.contains("\r\nContent-Length: 10000\r\n"), head);
        assertTrue(head.endsWith("\r\n\r\n"), "HEAD has no body: " + head);
    }

    @Test
    void traversalAttemptsAreRefused() throws Exception {
        List<String> targets = List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                "/..%2fsecret.txt", "/dashboard/../../secret.txt", "/hello.txt/../../secret.txt",
                "/..%5csecret.txt", "/%5c..%5csecret.txt", "/..\\secret.txt", "/.%2e/.%2e/secret.txt",
                "/%252e%252e/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/secret.txt%00.txt", "/escape.txt",
                ("/" + base.toAbsolutePath() + "/secret.txt").replace('\\', '/').replace("//", "/"),
                "http://127.0.0.1/../secret.txt");
        for (String t : targets) {
            String r = raw("GET " + t + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertFalse(r.contains(SECRET), t + " leaked the file outside the root:\n" + r);
            int status = Integer.parseInt(r.substring(9, 12));
            assertTrue(status == 400 || status == 404, t + " -> " + r.lines().findFirst().orElse(""));
        }
    }

    @Test
    void http10KeepAliveAndPipelining() throws Exception {
        URI u = server.uri("/");
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            // ApacheBench style: HTTP/1.0 with Connection: Keep-Alive, several requests on one connection.
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write("GET /plaintext HTTP/1.0\r\nHost: x\r\nConnection: Keep-Alive\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String r = readResponse(in);
                assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
                assertTrue(r.toLowerCase().contains("\r\nconnection: keep-alive\r\n"), r);
                assertTrue(r.endsWith("\r\n\r\nHello, World!"), r);
            }
            // Pipelined HTTP/1.1: three requests in one write, three responses in order.
            s.getOutputStream().write(("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /json HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(in).endsWith("Hello, World!"));
            assertTrue(readResponse(in).endsWith("{\"message\":\"Hello, World!\"}"));
            assertTrue(readResponse(in).endsWith("Hello, World!"));
        }
        String closing = raw("GET /plaintext HTTP/1.0\r\nHost: x\r\n\r\n");
        assertTrue(closing.endsWith("Hello, World!"), "HTTP/1.0 without keep-alive: response, then close: " + closing);
    }

    /** Reads one response framed by Content-Length. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed after: " + head);
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(?i)\r\ncontent-length: (\\d+)\r\n").matcher(h);
        assertTrue(m.find(), h);
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return h + new String(body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void statsCountRequests() throws Exception {
        for (int i = 0; i < 20; i++) get("/plaintext");
        Thread.sleep(2500); // the metrics roll once a second
        HttpResponse<String> r = get("/stats");
        String stats = r.body();
        assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
        assertTrue(stats.contains("\"px\":{"), stats);
        assertTrue(stats.contains("\"keys\":100000"), stats);
        Matcher m = Pattern.compile("\"requests\":(\\d+)").matcher(stats);
        assertTrue(m.find(), stats);
        assertTrue(Long.parseLong(m.group(1)) >= 20, stats);
        Matcher conns = Pattern.compile("\"connectionsTotal\":(\\d+)").matcher(stats);
        assertTrue(conns.find() && Long.parseLong(conns.group(1)) > 0, stats);
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
        assertEquals(400, get("/lookup/ka?limit=0").statusCode());
    }

    private static String read(long offset, int length) throws Exception {
        try (var files = Files.list(data); FileChannel ch = FileChannel.open(files.findFirst().orElseThrow())) {
            ByteBuffer b = ByteBuffer.allocate(length);
            ch.read(b, offset);
            return new String(b.array(), StandardCharsets.US_ASCII);
        }
    }
}

package io.pxj.http;

import io.pxj.testfakes.LivePx;
import io.pxj.testfakes.RequiresRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server on a real runtime over loopback, driven by java.net.http and raw sockets. Skipped, with the
 * reason, while {@code Px.builder().build()} cannot make a runtime (core or backend not there yet).
 */
@RequiresRuntime
@Timeout(60)
class HttpServerE2ETest {
    static LivePx<HttpServer.Running> live;
    static Path root;
    static final AtomicLong heard = new AtomicLong();
    static HttpClient client;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("pxj-http-e2e");
        Files.writeString(root.resolve("a.txt"), "0123456789");
        Files.write(root.resolve("big.bin"), new byte[3 * 1024 * 1024 + 7]);
        HttpServer http = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .route("/json", TechEmpower.json())
                .route("/echo", (q, r) -> q.bodyBytes(), HttpMethod.POST)
                .staticFiles("/static", root)
                .listener((q, s, n) -> heard.incrementAndGet())
                .build();
        live = LivePx.start(px -> http.start(px, new InetSocketAddress("127.0.0.1", 0)));
        base = "http://127.0.0.1:" + live.value().localAddress().getPort();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (live != null) {
            live.value().close();
            live.close();
        }
    }

    static java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + path)).build(), BodyHandlers.ofString());
    }

    @Test
    void plaintextAndJson() throws Exception {
        var r = get("/plaintext");
        assertEquals(200, r.statusCode());
        assertEquals("Hello, World!", r.body());
        assertEquals("pxj", r.headers().firstValue("server").orElseThrow());
        assertEquals(29, r.headers().firstValue("date").orElseThrow().length());
        assertEquals("{\"message\":\"Hello, World!\"}", get("/json").body());
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void postBodies() throws Exception {
        String body = "x".repeat(200_000);
        var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
        assertEquals(body, r.body());
    }

    @Test
    void staticFilesWithRangeAndLargeZeroCopySend() throws Exception {
        var r = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/static/a.txt"))
                .header("Range", "bytes=2-4").build(), BodyHandlers.ofString());
        assertEquals(206, r.statusCode());
        assertEquals("234", r.body());
        var big = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/static/big.bin")).build(),
                BodyHandlers.ofByteArray());
        assertEquals(3 * 1024 * 1024 + 7, big.body().length);
    }

    @Test
    void pipelinedKeepAliveAndChunkedOverOneSocket() throws Exception {
        try (Socket s = new Socket("127.0.0.1", live.value().localAddress().getPort())) {
            s.setSoTimeout(10_000);
            String req = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            List<HttpConn.Resp> r = HttpConn.parse(readToEof(s.getInputStream()));
            assertEquals(3, r.size());
            assertEquals("abc", r.get(1).body());
            assertEquals("close", r.get(2).header("connection"));
        }
    }

    @Test
    void malformedRequestGets400AndClose() throws Exception {
        try (Socket s = new Socket("127.0.0.1", live.value().localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            HttpConn.Resp r = HttpConn.one(readToEof(s.getInputStream()));
            assertEquals(400, r.status());
        }
        assertTrue(live.value().stats().responses(4) >= 1);
        assertTrue(heard.get() >= 1);
    }

    static String readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}

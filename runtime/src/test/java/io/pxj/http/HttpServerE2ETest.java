package io.pxj.http;

import io.pxj.testfakes.LivePx;
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
 * The HTTP server on a real runtime over loopback, driven by java.net.http and raw sockets.
 */
@Timeout(60)
class HttpServerE2ETest {
    static LivePx<HttpServer.Running[]> live;
    static HttpServer.Running main, strict;
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
        HttpServer strictHttp = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .route("/echo", (q, r) -> q.bodyBytes(), HttpMethod.POST)
                .limits(HttpLimits.builder().requestTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(1))
                        .maxBodyBytes(64 * 1024).build())
                .build();
        live = LivePx.start(px -> new HttpServer.Running[] {
                http.start(px, new InetSocketAddress("127.0.0.1", 0)),
                strictHttp.start(px, new InetSocketAddress("127.0.0.1", 0))});
        main = live.value()[0];
        strict = live.value()[1];
        base = "http://127.0.0.1:" + main.localAddress().getPort();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (live != null) {
            main.close();
            strict.close();
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
        try (Socket s = new Socket("127.0.0.1", main.localAddress().getPort())) {
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
        try (Socket s = new Socket("127.0.0.1", main.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            HttpConn.Resp r = HttpConn.one(readToEof(s.getInputStream()));
            assertEquals(400, r.status());
        }
        assertTrue(main.stats().responses(4) >= 1);
        assertTrue(heard.get() >= 1);
    }

    @Test
    void manyPipelinedRequestsOnSeveralConnections() throws Exception {
        int connections = 4, batches = 50, depth = 16;
        byte[] batch = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".repeat(depth).getBytes(StandardCharsets.US_ASCII);
        Thread[] threads = new Thread[connections];
        Throwable[] failure = new Throwable[1];
        for (int c = 0; c < connections; c++) {
            threads[c] = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", main.localAddress().getPort())) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    int expected = HttpConn.one(new String(readOneResponse(s), StandardCharsets.ISO_8859_1)).body().length();
                    assertEquals(13, expected);
                    for (int b = 0; b < batches; b++) {
                        s.getOutputStream().write(batch);
                        for (int i = 0; i < depth; i++) {
                            String head = readHead(in);
                            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
                            assertEquals("Hello, World!", new String(in.readNBytes(13), StandardCharsets.US_ASCII));
                        }
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) t.join();
        if (failure[0] != null) throw new AssertionError(failure[0]);
    }

    @Test
    void slowRequestGets408FromTheTimer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /plaintext HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            HttpConn.Resp r = HttpConn.one(readToEof(s.getInputStream()));
            assertEquals(408, r.status());
            assertEquals("close", r.header("connection"));
        }
        assertTrue(strict.stats().requestTimeouts() >= 1);
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, HttpConn.one(readToEof(s.getInputStream())).status()); // EOF comes from the idle close
        }
    }

    @Test
    void tooLargeBodyGets413EvenWhileTheClientKeepsSending() throws Exception {
        try (Socket s = new Socket("127.0.0.1", strict.localAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                s.getOutputStream().write(new byte[100_000]); // the server lingers: this does not reset the response
            } catch (IOException ignored) {
                // a reset after the linger is fine; the response must have arrived first
            }
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 413 "), head);
            assertTrue(head.contains("Connection: close"), head);
        }
    }

    static byte[] readOneResponse(Socket s) throws IOException {
        s.getOutputStream().write("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        return (head + new String(s.getInputStream().readNBytes(13), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads up to and including the blank line. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("EOF in head: " + sb);
            sb.append((char) b);
        }
        return sb.toString();
    }

    static String readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}

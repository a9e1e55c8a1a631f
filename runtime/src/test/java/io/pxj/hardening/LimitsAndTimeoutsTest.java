package io.pxj.hardening;

import io.pxj.http.HttpLimits;
import io.pxj.http.HttpMethod;
import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.Px;
import io.pxj.runtime.ServerOptions;
import io.pxj.testfakes.Soak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every connection-level limit over loopback: the runtime's and HTTP's connection caps, the request (header-read),
 * body-read and idle timeouts, and slowloris. Timeouts have one-second granularity (the maintenance tick), so
 * bounds are "not before the timeout, and within timeout + a generous margin".
 */
@Timeout(120)
class LimitsAndTimeoutsTest {
    static HttpServer.Builder base() {
        return HttpServer.builder().route("/plaintext", TechEmpower.plaintext())
                .route("/echo", (q, r) -> q.bodyBytes(), HttpMethod.POST);
    }

    @Test
    void runtimeMaxConnectionsRefusesAndCountsTheExtraConnection() throws Exception {
        HttpServer http = base().serverOptions(ServerOptions.builder().maxConnections(2).build()).build();
        try (Live live = Live.start(Px.builder(), http); Socket a = Raw.connect(live.addr);
             Socket b = Raw.connect(live.addr)) {
            for (Socket s : new Socket[] {a, b}) {
                s.getOutputStream().write(Raw.GET);
                assertEquals(200, Raw.readResponse(s.getInputStream()).status());
            }
            assertEquals(-1, Raw.getStatus(live.addr), "the third connection is closed unanswered");
            assertTrue(live.px().stats().connectionsRefused() >= 1);
            assertTrue(live.running.server().refusedConnections() >= 1);
            a.close();
            assertTrue(Live.eventually(5_000, () -> live.running.server().activeConnections() == 1));
            assertEquals(200, Raw.getStatus(live.addr), "a slot freed is a slot usable");
        }
    }

    @Test
    void httpMaxConnectionsAnswers503AndCountsIt() throws Exception {
        HttpServer http = base().limits(HttpLimits.builder().maxConnections(2).build()).build();
        try (Live live = Live.start(Px.builder(), http); Socket a = Raw.connect(live.addr);
             Socket b = Raw.connect(live.addr)) {
            for (Socket s : new Socket[] {a, b}) {
                s.getOutputStream().write(Raw.GET);
                assertEquals(200, Raw.readResponse(s.getInputStream()).status());
            }
            List<Raw.Resp> r = Raw.parse(Raw.exchange(live.addr, Raw.GET));
            assertEquals(503, r.get(0).status());
            assertEquals("close", r.get(0).header("connection"));
            assertEquals(1, live.running.stats().rejectedConnections());
        }
    }

    @Test
    void headerReadBodyReadAndIdleTimeouts() throws Exception {
        HttpServer http = base().limits(HttpLimits.builder().requestTimeout(Duration.ofSeconds(2))
                .idleTimeout(Duration.ofSeconds(2)).build()).build();
        // The request timeout raised for uploads; a stalled body is caught by the body-read timeout.
        HttpServer uploads = base().limits(HttpLimits.builder().requestTimeout(Duration.ofSeconds(60))
                .bodyReadTimeout(Duration.ofSeconds(1)).build()).build();
        try (Live live = Live.start(Px.builder(), http); Live up = Live.start(Px.builder(), uploads)) {
            CompletableFuture<Timed> header = timed(live, "GET /plaintext HTTP/1.1\r\nHost: x\r\n");
            CompletableFuture<Timed> idle = timed(live, "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n");
            CompletableFuture<Timed> body = timed(up, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel");
            Timed h = header.get(), i = idle.get(), b = body.get();
            assertEquals("408", h.statuses, "stalled head");
            assertTrue(h.millis >= 1900 && h.millis < 8000, "408 after ~2 s: " + h.millis);
            assertEquals("200", i.statuses, "then closed silently when idle");
            assertTrue(i.millis >= 1900 && i.millis < 8000, "idle close after ~2 s: " + i.millis);
            assertEquals("408", b.statuses, "stalled body");
            assertTrue(b.millis >= 900 && b.millis < 6000, "408 after ~1 s, long before 60 s: " + b.millis);
            assertTrue(live.running.stats().requestTimeouts() >= 1 && live.running.stats().idleCloses() >= 1);
            assertEquals(200, Raw.getStatus(live.addr));
        }
    }

    record Timed(String statuses, long millis) {}

    /** Sends {@code request} without half-closing and waits for EOF; statuses received and time to EOF. */
    static CompletableFuture<Timed> timed(Live live, String request) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = Raw.connect(live.addr)) {
                long t0 = System.nanoTime();
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                String raw = Raw.readToEof(s.getInputStream());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                List<String> st = Raw.parse(raw).stream().map(r -> String.valueOf(r.status())).toList();
                return new Timed(String.join(",", st), ms);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /**
     * Slowloris: 1,000 connections trickle a request head, one byte every 2 s. Meanwhile a normal client keeps
     * being served within a generous bound, and every slow connection ends with 408 (or is closed) once the 4 s
     * request timeout passes. CI holds them ~6 s; soak (-Dpxj.soak=true) 30 s with 2,000 connections.
     */
    @Test
    void slowlorisDoesNotStarveANormalClientAndEndsIn408() throws Exception {
        int n = Soak.size(1000, 2000);
        long holdMillis = Soak.size(6_000, 30_000);
        HttpServer http = base().limits(HttpLimits.builder().requestTimeout(Duration.ofSeconds(4)).build()).build();
        try (Live live = Live.start(Px.builder(), http); Socket normal = Raw.connect(live.addr)) {
            long before = maxLatencyMillis(normal, 200);
            List<Socket> slow = new ArrayList<>(n);
            try {
                for (int i = 0; i < n; i++) slow.add(Raw.connect(live.addr));
                byte[] head = "GET /plaintext HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
                long[] maxDuring = {0};
                long start = System.nanoTime();
                int k = 0;
                while ((System.nanoTime() - start) / 1_000_000 < holdMillis) {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write(head[Math.min(k, head.length - 1)]);
                        } catch (IOException closedByServer) {
                            // answered 408 and closed: fine
                        }
                    }
                    k++;
                    long until = System.nanoTime() + 2_000_000_000L; // one byte every 2 s...
                    while (System.nanoTime() < until) {             // ...while the normal client keeps asking
                        maxDuring[0] = Math.max(maxDuring[0], maxLatencyMillis(normal, 20));
                    }
                }
                assertTrue(maxDuring[0] < 1000, "normal client latency during slowloris: max " + maxDuring[0]
                        + " ms (before: " + before + " ms)");
                int answered408 = 0, closed = 0;
                for (Socket s : slow) {
                    s.setSoTimeout(8_000);
                    String raw = Raw.readToEof(s.getInputStream());
                    if (raw.startsWith("HTTP/1.1 408 ")) answered408++;
                    else if (raw.isEmpty()) closed++;
                    else throw new AssertionError("unexpected answer to a slow head: " + raw);
                }
                assertEquals(n, answered408 + closed);
                assertTrue(answered408 >= n * 9 / 10, "408s: " + answered408 + ", closed: " + closed);
            } finally {
                for (Socket s : slow) s.close();
            }
            assertTrue(live.running.stats().requestTimeouts() >= n * 9 / 10);
            assertEquals(200, Raw.getStatus(live.addr));
        }
    }

    /** {@code count} keep-alive requests on {@code s}; the slowest one's latency in ms. */
    static long maxLatencyMillis(Socket s, int count) throws IOException {
        long max = 0;
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(Raw.GET);
            assertEquals(200, Raw.readResponse(s.getInputStream()).status());
            max = Math.max(max, (System.nanoTime() - t0) / 1_000_000);
        }
        return max;
    }
}

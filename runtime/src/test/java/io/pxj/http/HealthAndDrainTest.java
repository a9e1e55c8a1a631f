package io.pxj.http;

import io.pxj.testfakes.LivePx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health routes, the drain sequence of {@code Running.close(Duration)} and the access log, over loopback. */
@Timeout(60)
class HealthAndDrainTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private java.net.http.HttpResponse<String> get(HttpServer.Running r, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + r.localAddress().getPort() + path);
        return client.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                BodyHandlers.ofString());
    }

    @Test
    void readinessTurns503AtOnceAndServingContinuesThroughTheDrainDelay() throws Exception {
        HttpServer http = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .healthRoutes("/healthz", "/readyz")
                .drainDelay(Duration.ofMillis(1500))
                .build();
        assertEquals("not listening", http.notReadyReason());
        try (LivePx<HttpServer.Running> live = LivePx.start(px -> http.start(px,
                new InetSocketAddress("127.0.0.1", 0)))) {
            HttpServer.Running running = live.value();
            var ready = get(running, "/readyz");
            assertEquals(200, ready.statusCode());
            assertEquals("{\"ready\":true}", ready.body());
            var alive = get(running, "/healthz");
            assertEquals(200, alive.statusCode());
            assertTrue(alive.body().startsWith("{\"status\":\"ok\""), alive.body());

            long t0 = System.nanoTime();
            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(
                    () -> running.close(Duration.ofSeconds(5)));
            // Within the drain window: not ready, but still serving requests normally.
            java.net.http.HttpResponse<String> notReady = null;
            while (System.nanoTime() - t0 < 1_000_000_000L) {
                notReady = get(running, "/readyz");
                if (notReady.statusCode() == 503) {
                    break;
                }
                Thread.sleep(10);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000L;
            assertEquals(503, notReady.statusCode(), "readiness still 200 after " + ms + " ms");
            assertTrue(ms < 1500, "readiness turned 503 only after the drain delay: " + ms + " ms");
            assertEquals("{\"ready\":false,\"reason\":\"draining\"}", notReady.body());
            assertEquals(200, get(running, "/plaintext").statusCode());
            assertFalse(closed.isDone(), "close returned before the drain delay ended");

            assertTrue(closed.get(20, java.util.concurrent.TimeUnit.SECONDS), "connections left after drain");
            long total = (System.nanoTime() - t0) / 1_000_000L;
            assertTrue(total >= 1400, "close took " + total + " ms, less than the drain delay");
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI uri = URI.create("http://127.0.0.1:" + running.localAddress().getPort() + "/plaintext");
            assertThrows(ConnectException.class,
                    () -> fresh.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()));
            assertEquals("draining", http.notReadyReason());
        }
    }

    @Test
    void livenessReports503WhileTheMainLoopIsStuck() throws Exception {
        HttpServer http = HttpServer.builder()
                .healthRoutes("/healthz", "/readyz")
                .livenessBound(Duration.ofSeconds(1))
                .build();
        try (LivePx<HttpServer.Running> live = LivePx.start(px -> http.start(px,
                new InetSocketAddress("127.0.0.1", 0)))) {
            HttpServer.Running running = live.value();
            assertEquals(200, get(running, "/healthz").statusCode());
            // Blocks the main loop for 3 s: the heartbeat task the next ticks post cannot run.
            live.px().callFromMainThread(() -> sleep(3000));
            long t0 = System.nanoTime();
            java.net.http.HttpResponse<String> r = get(running, "/healthz");
            while (r.statusCode() == 200 && System.nanoTime() - t0 < 2_800_000_000L) {
                Thread.sleep(50);
                r = get(running, "/healthz");
            }
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("{\"status\":\"stalled\""), r.body());
            // Back to 200 once the main loop runs again.
            long t1 = System.nanoTime();
            while (r.statusCode() != 200 && System.nanoTime() - t1 < 5_000_000_000L) {
                Thread.sleep(50);
                r = get(running, "/healthz");
            }
            assertEquals(200, r.statusCode(), r.body());
            running.close();
        }
    }

    @Test
    void accessLogLinesInCombinedAndCommonFormat() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ZonedDateTime at = ZonedDateTime.of(2026, 12, 3, 10, 19, 31, 0, ZoneOffset.UTC);
        AccessLog combined = AccessLog.combined();
        AccessLog common = AccessLog.common();
        HttpServer http = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .listener((req, status, nanos) -> {
                    lines.add(combined.line(req, status, at));
                    lines.add(common.line(req, status, at));
                })
                .accessLog(combined) // the real logger too: both listeners hear each response
                .build();
        try (LivePx<HttpServer.Running> live = LivePx.start(px -> http.start(px,
                new InetSocketAddress("127.0.0.1", 0)))) {
            HttpServer.Running running = live.value();
            URI uri = URI.create("http://127.0.0.1:" + running.localAddress().getPort() + "/plaintext?a=%22x");
            client.send(java.net.http.HttpRequest.newBuilder(uri).header("User-Agent", "t\"ester")
                    .header("Referer", "http://r/").build(), BodyHandlers.ofString());
            assertEquals(2, lines.size(), lines.toString());
            assertEquals("127.0.0.1 - - [03/Dec/2026:10:19:31 +0000] \"GET /plaintext?a=%22x HTTP/1.1\" 200 -"
                    + " \"http://r/\" \"t\\\"ester\"", lines.get(0));
            assertEquals("127.0.0.1 - - [03/Dec/2026:10:19:31 +0000] \"GET /plaintext?a=%22x HTTP/1.1\" 200 -",
                    lines.get(1));
            running.close();
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirName() {
        HttpServer.Builder b = HttpServer.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.drainDelay(Duration.ofSeconds(-1)))
                .getMessage().contains("drainDelay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.livenessBound(Duration.ofMillis(10)))
                .getMessage().contains("livenessBound"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.healthRoutes("/h", "/h"))
                .getMessage().contains("different paths"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

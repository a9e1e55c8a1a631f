package io.pxj.hardening;

import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.Px;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faulty handlers and faulty clients touch only their own connection, are counted, and kill no thread; graceful
 * shutdown finishes a request accepted before it.
 */
@Timeout(120)
class FaultsAndShutdownTest {
    static final int BIG = 8 << 20;
    final CountDownLatch blockStarted = new CountDownLatch(1), unblock = new CountDownLatch(1);
    final CountDownLatch slowStarted = new CountDownLatch(1);

    HttpServer server() {
        byte[] big = new byte[BIG];
        return HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .route("/throw", (q, r) -> {
                    throw new IllegalStateException("handler bug");
                })
                .route("/garbage", (q, r) -> new Object()) // not a response type, not JSON-serialisable
                .route("/block", (q, r) -> {
                    blockStarted.countDown();
                    return unblock.await(20, TimeUnit.SECONDS) ? "unblocked" : "timeout";
                })
                .route("/slow", (q, r) -> {
                    slowStarted.countDown();
                    Thread.sleep(1500);
                    return "slow done";
                })
                .route("/big", (q, r) -> big)
                .build();
    }

    @Test
    void faultyHandlersAndClientsTouchOnlyTheirConnection() throws Exception {
        try (Live live = Live.start(Px.builder(), server()); Socket neighbour = Raw.connect(live.addr)) {
            neighbour.getOutputStream().write(Raw.GET);
            InputStream nin = neighbour.getInputStream();
            assertEquals(200, Raw.readResponse(nin).status());
            int threads = live.px().stats().threads();

            for (String path : new String[] {"/throw", "/garbage"}) {
                List<Raw.Resp> r = Raw.parse(Raw.exchange(live.addr,
                        ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                assertEquals(1, r.size(), path);
                assertEquals(500, r.get(0).status(), path);
                assertEquals("close", r.get(0).header("connection"), path);
            }
            assertEquals(2, live.running.stats().handlerErrors());

            long errors = live.px().stats().errors();
            // reset in the middle of a request head
            try (Socket s = Raw.connect(live.addr)) {
                s.getOutputStream().write("GET /plaintext HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                s.setSoLinger(true, 0);
            }
            // half-close after a complete request: still answered, then closed
            List<Raw.Resp> half = Raw.parse(Raw.exchange(live.addr, Raw.GET));
            assertEquals(200, half.get(0).status());
            // vanish with a big response pending: small window, never read, reset
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(live.addr, 5000);
                s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(Live.eventually(5_000, () -> live.px().stats().bytesOut() > 0));
                Thread.sleep(100);
                s.setSoLinger(true, 0);
            }
            assertTrue(Live.eventually(10_000, () -> live.px().stats().connectionsActive() == 1),
                    "only the neighbour is left: " + live.px().stats());
            assertTrue(live.px().stats().errors() > errors, "the resets are counted as errors");
            assertEquals(threads, live.px().stats().threads(), "no loop thread died");

            neighbour.getOutputStream().write(Raw.GET);
            assertEquals(200, Raw.readResponse(nin).status(), "the neighbour never noticed");
            assertEquals(200, Raw.getStatus(live.addr));
        }
    }

    /**
     * nio promise: a handler runs on its connection's event loop, so a blocking handler stalls that loop (as in
     * Netty): its other connections, and accepting when the listener lives on that loop. Connections on the other
     * loops keep being served. With 2 loops and round-robin assignment, at least 2 of 4 further connections
     * established before the block are on the free loop.
     */
    @Test
    void aBlockingHandlerStallsOnlyItsOwnLoop() throws Exception {
        try (Live live = Live.start(Px.builder().threads(2), server())) {
            List<Socket> conns = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket s = Raw.connect(live.addr);
                    conns.add(s);
                    s.getOutputStream().write(Raw.GET);
                    assertEquals(200, Raw.readResponse(s.getInputStream()).status());
                }
                conns.get(0).getOutputStream().write("GET /block HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(blockStarted.await(10, TimeUnit.SECONDS));
                List<CompletableFuture<Integer>> others = new ArrayList<>();
                for (Socket s : conns.subList(1, 5)) {
                    others.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            s.getOutputStream().write(Raw.GET);
                            return Raw.readResponse(s.getInputStream()).status();
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }));
                }
                assertTrue(Live.eventually(5_000, () -> others.stream().filter(f -> f.isDone() && f.join() == 200).count() >= 2),
                        "connections on the free loop are served while the other loop is blocked");
                unblock.countDown();
                assertEquals("unblocked", Raw.readResponse(conns.get(0).getInputStream()).body());
                for (CompletableFuture<Integer> f : others) assertEquals(200, f.get(15, TimeUnit.SECONDS));
            } finally {
                unblock.countDown();
                for (Socket s : conns) s.close();
            }
        }
    }

    @Test
    void gracefulShutdownFinishesARequestAcceptedBeforeIt() throws Exception {
        Live live = Live.start(Px.builder(), server());
        try (Socket inFlight = Raw.connect(live.addr); Socket idle = Raw.connect(live.addr)) {
            idle.getOutputStream().write(Raw.GET);
            assertEquals(200, Raw.readResponse(idle.getInputStream()).status());
            inFlight.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(slowStarted.await(10, TimeUnit.SECONDS));

            CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(
                    () -> live.running.close(Duration.ofSeconds(10)));
            assertEquals("", Raw.readToEof(idle.getInputStream()), "the idle connection is closed at once");
            assertTrue(Live.eventually(5_000, () -> refused(live)), "no longer accepting");
            String raw = Raw.readToEof(inFlight.getInputStream());
            List<Raw.Resp> r = Raw.parse(raw);
            assertEquals(1, r.size(), raw);
            assertEquals("slow done", r.get(0).body(), "the in-flight response arrives complete");
            assertEquals("close", r.get(0).header("connection"));
            assertTrue(closed.get(15, TimeUnit.SECONDS), "every connection finished within the deadline");
        } finally {
            live.px.close();
        }
        assertTrue(live.px.awaitStopped(15_000), "run() returned and the runtime closed");
    }

    @Test
    void runtimeShutdownAlsoDeliversTheInFlightResponse() throws Exception {
        Live live = Live.start(Px.builder(), server());
        try (Socket inFlight = Raw.connect(live.addr)) {
            inFlight.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
            live.px().shutdown(); // run() returns, closes servers gracefully, then the runtime closes
            List<Raw.Resp> r = Raw.parse(Raw.readToEof(inFlight.getInputStream()));
            assertEquals(1, r.size());
            assertEquals("slow done", r.get(0).body());
            assertTrue(live.px.awaitStopped(15_000));
        } finally {
            live.px.close();
        }
    }

    static boolean refused(Live live) {
        try (Socket s = new Socket()) {
            s.connect(live.addr, 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

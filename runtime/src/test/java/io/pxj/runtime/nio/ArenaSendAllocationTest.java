package io.pxj.runtime.nio;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Heap allocated per round trip on the runtime's threads in steady state. A zero-copy echo (returning the received
 * buffer) allocates nothing. Returning an {@link ArenaBuffer} from a callback costs no heap object in the send path
 * (no slice view per send): with escape checks off a round trip allocates nothing; with checks on only the checked
 * handle that {@code allocate} creates (about 48 B) remains, and io.pxj.http, whose output reuses handles of its
 * own, allocates nothing per /plaintext request even then. Measured with the JVM's per-thread allocation counter
 * over the loop threads (checked to include the thread that ran the callbacks), around round trips of a blocking
 * loopback client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArenaSendAllocationTest {
    private static final int REPLY = 64;
    /** The thread of the latest callback, so the test can check it was among the measured ones. */
    static volatile long callbackThread = -1;

    /** Answers every 16-byte message with a 64-byte reply written into the arena. */
    static final class ArenaReply implements Protocol {
        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            callbackThread = Thread.currentThread().getId();
            ArenaBuffer out = ctx.allocate(REPLY);
            for (int i = 0; i < REPLY; i++) out.put((byte) i);
            return out;
        }
    }

    /** The zero-copy echo of the README: the received buffer is the response. */
    static final class ZeroCopyEcho implements Protocol {
        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            callbackThread = Thread.currentThread().getId();
            return data;
        }
    }

    @Test
    void zeroCopyEchoAllocatesNothingPerRoundTrip() throws Exception {
        double perRoundTrip = measure(true, px -> px.server(new InetSocketAddress("127.0.0.1", 0), ZeroCopyEcho::new),
                Client.ECHO);
        assertTrue(perRoundTrip < 1.0, "echo allocated " + perRoundTrip + " B per 64-byte round trip (checks on)");
    }

    @Test
    void checksOffAllocatesNothingPerRoundTrip() throws Exception {
        double perRequest = measure(false);
        assertTrue(perRequest < 4.0, "arena reply allocated " + perRequest + " B per round trip with checks off");
    }

    @Test
    void checksOnAllocatesOnlyTheCheckedHandle() throws Exception {
        double perRequest = measure(true);
        assertTrue(perRequest < 60.0, "arena reply allocated " + perRequest + " B per round trip with checks on");
    }

    /** io.pxj.http's /plaintext through the real runtime with checks on: its output reuses its own handles. */
    @Test
    void httpPlaintextAllocatesNothingWithChecksOn() throws Exception {
        io.pxj.http.HttpServer http = io.pxj.http.HttpServer.builder()
                .route("/plaintext", io.pxj.http.TechEmpower.plaintext()).build();
        double perRequest = measure(true, px -> http.start(px, new InetSocketAddress("127.0.0.1", 0)).server(),
                Client.HTTP);
        assertTrue(perRequest < 1.0, "http /plaintext allocated " + perRequest + " B per request with checks on");
    }

    /**
     * The same with a listener hearing both figures: the read and send completion clocks, the per-connection ring of
     * timed responses and responseSent add no heap object per request either.
     */
    @Test
    void httpPlaintextTimedBothWaysAllocatesNothing() throws Exception {
        java.util.concurrent.atomic.AtomicLong handler = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong server = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong heard = new java.util.concurrent.atomic.AtomicLong();
        io.pxj.http.HttpServer http = io.pxj.http.HttpServer.builder()
                .route("/plaintext", io.pxj.http.TechEmpower.plaintext())
                .listener(new io.pxj.http.RequestListener() {
                    @Override
                    public void requestCompleted(io.pxj.http.HttpRequest request, int status, long handlerNanos) {
                        handler.addAndGet(handlerNanos);
                    }

                    @Override
                    public void responseSent(int status, long serverNanos) {
                        server.addAndGet(serverNanos);
                        heard.incrementAndGet();
                    }
                }).build();
        double perRequest = measure(true, px -> http.start(px, new InetSocketAddress("127.0.0.1", 0)).server(), Client.HTTP);
        assertTrue(perRequest < 4.0, "timed http /plaintext allocated " + perRequest + " B per request");
        assertTrue(heard.get() >= 30_000, "server times were recorded: " + heard.get());
        assertTrue(server.get() > handler.get(), "server time covers more than the handler");
    }

    private static double measure(boolean checks) throws Exception {
        return measure(checks, px -> px.server(new InetSocketAddress("127.0.0.1", 0), ArenaReply::new), Client.ARENA);
    }

    enum Client { ARENA, ECHO, HTTP }

    private static double measure(boolean checks, java.util.function.Function<Px, Server> start, Client client)
            throws Exception {
        java.lang.management.ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        assumeTrue(tmx instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) tmx;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        AtomicReference<Px> pxRef = new AtomicReference<>();
        AtomicReference<Server> serverRef = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread main = new Thread(() -> {
            try (Px px = Px.builder().backend("nio").threads(2).checks(checks).build()) {
                pxRef.set(px);
                serverRef.set(start.apply(px));
                ready.countDown();
                px.run();
            } catch (Throwable t) {
                failure.set(t);
                ready.countDown();
            }
        }, "alloc-test-main");
        main.start();
        assertTrue(ready.await(15, TimeUnit.SECONDS), "runtime did not start");
        if (failure.get() != null) throw new AssertionError("runtime failed to start", failure.get());
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", serverRef.get().localAddress().getPort()), 5000);
            s.setSoTimeout(10_000);
            int n = 20_000;
            callbackThread = -1;
            drive(client, s, n); // warm-up: JIT, pooled entries and handles
            Map<Long, Long> before = loopThreads(mx);
            drive(client, s, n);
            Map<Long, Long> after = loopThreads(mx);
            // an empty or changing thread set would measure nothing and pass
            assertEquals(pxRef.get().stats().threads(), before.size(), "one measured thread per loop: " + before);
            assertEquals(before.keySet(), after.keySet(), "the same loop threads before and after");
            if (client != Client.HTTP) {
                assertTrue(after.containsKey(callbackThread), "the callbacks' thread " + callbackThread
                        + " is among the measured " + after.keySet());
            }
            long bytes = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) bytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            System.out.printf(java.util.Locale.ROOT, "%s, checks %s: %.3f B per round trip on %d threads%n", client,
                    checks, (double) bytes / n, after.size());
            return (double) bytes / n;
        } finally {
            pxRef.get().shutdown();
            main.join(15_000);
        }
    }

    private static void drive(Client client, Socket s, int n) throws IOException {
        switch (client) {
            case ARENA -> roundTrips(s, n, 16, REPLY);
            case ECHO -> roundTrips(s, n, 64, 64);
            case HTTP -> httpRequests(s, n);
        }
    }

    private static void roundTrips(Socket s, int n, int size, int reply) throws IOException {
        byte[] msg = new byte[size];
        byte[] back = new byte[reply];
        OutputStream o = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int i = 0; i < n; i++) {
            o.write(msg);
            int got = 0;
            while (got < reply) {
                int r = in.read(back, got, reply - got);
                if (r < 0) throw new IOException("closed");
                got += r;
            }
        }
    }

    /** GET /plaintext round trips; every response has the same length (fixed-width Date), learnt from the first. */
    private static void httpRequests(Socket s, int n) throws IOException {
        byte[] req = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] end = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        OutputStream o = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] back = new byte[4096];
        int size = -1;
        for (int i = 0; i < n; i++) {
            o.write(req);
            int got = 0;
            while (size < 0 ? !endsWith(back, got, end) : got < size) {
                int r = in.read(back, got, (size < 0 ? back.length : size) - got);
                if (r < 0) throw new IOException("closed");
                got += r;
            }
            size = got;
        }
    }

    private static boolean endsWith(byte[] b, int len, byte[] end) {
        return len >= end.length && java.util.Arrays.equals(b, len - end.length, len, end, 0, end.length);
    }

    /** Allocated bytes of the runtime's loop threads (the callbacks run there on the nio backend). */
    private static Map<Long, Long> loopThreads(com.sun.management.ThreadMXBean mx) {
        Map<Long, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().startsWith("pxj")) continue;
            @SuppressWarnings("deprecation") long id = t.getId();
            long b = mx.getThreadAllocatedBytes(id);
            if (b >= 0) m.put(id, b);
        }
        return m;
    }
}

package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.Lines;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.PersistenceException;
import io.pxj.runtime.ProtectionException;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Px;
import io.pxj.runtime.PxEvent;
import io.pxj.runtime.PxTimer;
import io.pxj.runtime.Server;
import io.pxj.runtime.ServerOptions;
import io.pxj.runtime.Transport;
import io.pxj.runtime.WaitTimeoutException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End-to-end on the nio backend, loopback only. */
@Timeout(20)
class PxRuntimeTest {
    Px px;

    @BeforeEach
    void start() {
        px = Px.builder().backend("nio").threads(2).shutdownTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterEach
    void stop() {
        assertTrue(px.close(Duration.ofSeconds(5)));
        assertEquals(0, px.stats().threads(), "no loop thread left");
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    void runUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            px.runOnce(Duration.ofMillis(10));
        }
    }

    @Test
    void linesModeUppercasesEachLine() throws Exception {
        Server s = px.server(loopback(), () -> new Protocol() {
            @Override
            public ProtocolOptions options() {
                return ProtocolOptions.builder().linesMode(true).build();
            }

            @Override
            public Object linesReceived(ParallelContext ctx, Transport t, Lines lines) {
                ArenaBuffer out = ctx.allocate(4096);
                for (int i = 0; i < lines.count(); i++) out.putUtf8(lines.lineString(i, StandardCharsets.UTF_8).toUpperCase()).put((byte) '\n');
                return out;
            }
        });
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
            c.setSoTimeout(5000);
            OutputStream out = c.getOutputStream();
            out.write("hello\r\nwor".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(20);
            out.write("ld\nlast".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("HELLO", in.readLine());
            assertEquals("WORLD", in.readLine());
            assertEquals("LAST", in.readLine());
            assertNull(in.readLine(), "the default inputShutdown closes after the pending sends");
        }
        runUntil(() -> px.stats().connectionsActive() == 0);
    }

    @Test
    void chargenStreamsThroughSendCompleteAndStopsWhenThePeerCloses() throws Exception {
        Server s = px.server(loopback(), () -> new Protocol() {
            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport t) {
                return "0123456789".repeat(100);
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport t, long id) {
                return "0123456789".repeat(100);
            }
        });
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
            byte[] got = c.getInputStream().readNBytes(100_000);
            assertEquals(100_000, got.length);
            assertEquals('0', got[0]);
            assertEquals('9', got[99_999]);
        }
        runUntil(() -> px.stats().connectionsActive() == 0);
    }

    @Test
    void clientTalksToServerAndCallbacksSeeTheirContext() throws Exception {
        Server s = px.server(loopback(), () -> new Protocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                return data;
            }
        });
        CompletableFuture<String> reply = new CompletableFuture<>();
        List<String> order = new ArrayList<>();
        var client = px.client(s.localAddress(), new Protocol() {
            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport t) {
                order.add("initial");
                return "ping";
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                reply.complete(StandardCharsets.US_ASCII.decode(data).toString());
                t.close();
                return null;
            }

            @Override
            public void connectionClosed(ParallelContext ctx, Transport t) {
                order.add("closed");
            }
        });
        Transport t = client.connected().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(t.isClient());
        assertEquals("ping", reply.get(5, TimeUnit.SECONDS));
        runUntil(() -> px.stats().connectionsActive() == 0);
        assertEquals(List.of("initial", "closed"), order);
        assertEquals(1, s.acceptedConnections());
    }

    @Test
    void connectFailureIsReported() throws Exception {
        InetSocketAddress dead;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = (InetSocketAddress) ss.getLocalSocketAddress();
        }
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        var client = px.client(dead, new Protocol() {
            @Override
            public void connectFailed(ParallelContext ctx, InetSocketAddress remote, Throwable cause) {
                failed.complete(cause);
            }
        });
        assertTrue(failed.get(5, TimeUnit.SECONDS) instanceof java.io.IOException);
        var x = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> client.connected().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(x.getCause() instanceof java.io.IOException, x.toString());
    }

    @Test
    void workRunsInParallelContextAndDeliversOnTheMainThread() throws Exception {
        Thread main = Thread.currentThread();
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        AtomicReference<Integer> result = new AtomicReference<>();
        var stage = px.submitWork(ctx -> {
            assertFalse(Thread.currentThread() == main);
            ctx.allocate(100).putAscii("scratch");
            return 6 * 7;
        }, v -> {
            callbackThread.set(Thread.currentThread());
            result.set(v);
        }, e -> {});
        assertEquals(42, stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
        runUntil(() -> result.get() != null);
        assertEquals(main, callbackThread.get());
        AtomicReference<Throwable> error = new AtomicReference<>();
        px.submitWork(ctx -> ctx.allocate(4), v -> {}, error::set);
        runUntil(() -> error.get() != null);
        assertInstanceOf(PersistenceException.class, error.get(), "arena results must not escape");
        assertEquals(2, px.stats().workCompleted());
        assertEquals(0, px.stats().arenaBytesInUse());
    }

    @Test
    void timersFireRepeatedlyAndRecordErrors() throws Exception {
        PxTimer<Long> t = px.submitTimer(Duration.ofMillis(1), Duration.ofMillis(5), ctx -> System.nanoTime());
        runUntil(() -> t.fireCount() >= 3);
        assertTrue(t.lastResult() > 0);
        t.cancel();
        long n = t.fireCount();
        Thread.sleep(30);
        assertTrue(t.fireCount() <= n + 1);
        PxTimer<Object> bad = px.submitTimer(Duration.ZERO, null, ctx -> ctx.allocate(1));
        runUntil(() -> bad.fireCount() == 1);
        assertInstanceOf(PersistenceException.class, bad.lastError());
        assertNull(bad.lastResult());
        runUntil(() -> px.stats().timersActive() == 0);
    }

    @Test
    void waitsOnStagesAndEventsWithTimeouts() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> got = new CompletableFuture<>();
        px.submitWait(f, Duration.ofSeconds(5), (ctx, v, e) -> got.complete(v));
        f.complete("done");
        assertEquals("done", got.get(5, TimeUnit.SECONDS));

        CompletableFuture<Throwable> timeout = new CompletableFuture<>();
        px.submitWait(new CompletableFuture<String>(), Duration.ofMillis(20), (ctx, v, e) -> timeout.complete(e));
        assertInstanceOf(WaitTimeoutException.class, timeout.get(5, TimeUnit.SECONDS));

        PxEvent ev = px.newEvent();
        CompletableFuture<PxEvent> signalled = new CompletableFuture<>();
        px.submitWait(ev, null, (ctx, v, e) -> signalled.complete(v));
        ev.set();
        assertEquals(ev, signalled.get(5, TimeUnit.SECONDS));
        ev.reset();
        CompletableFuture<Throwable> evTimeout = new CompletableFuture<>();
        px.submitWait(ev, Duration.ofMillis(10), (ctx, v, e) -> evTimeout.complete(e));
        assertInstanceOf(WaitTimeoutException.class, evTimeout.get(5, TimeUnit.SECONDS));
    }

    @Test
    void mainThreadRules() throws Exception {
        px.publish("answer", 42);
        assertThrows(ProtectionException.class, () -> px.callFromMainThreadAndWait(() -> 1, Duration.ofSeconds(1)));
        CompletableFuture<Object> fromPool = new CompletableFuture<>();
        px.submitWork(ctx -> {
            try {
                px.runOnce(Duration.ZERO);
                return "no exception";
            } catch (ProtectionException e) {
                int answer = ctx.published("answer", Integer.class);
                return answer + ":" + ctx.callFromMainThreadAndWait(() -> "from main", Duration.ofSeconds(5));
            }
        }, fromPool::complete, fromPool::completeExceptionally);
        runUntil(fromPool::isDone);
        assertEquals("42:from main", fromPool.get());
        // The main thread is blocked in get() below, not in runOnce: the call must time out, and never run.
        boolean[] ran = new boolean[1];
        var st = px.submitWork(ctx -> ctx.callFromMainThreadAndWait(() -> ran[0] = true, Duration.ofMillis(20)), null, null);
        var x = assertThrows(java.util.concurrent.ExecutionException.class, () -> st.toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(WaitTimeoutException.class, x.getCause());
        px.runOnce(Duration.ZERO);
        assertFalse(ran[0], "a timed-out call is cancelled");
    }

    @Test
    void callbackErrorClosesOnlyThatConnection() throws Exception {
        Server s = px.server(loopback(), () -> new Protocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                if (data.get(0) == '!') throw new IllegalStateException("boom");
                return data;
            }
        });
        try (Socket good = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort());
             Socket bad = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
            good.setSoTimeout(5000);
            bad.setSoTimeout(5000);
            bad.getOutputStream().write('!');
            assertEquals(-1, bad.getInputStream().read());
            good.getOutputStream().write('x');
            assertEquals('x', good.getInputStream().read());
        }
        runUntil(() -> px.stats().errors() >= 1 && px.stats().connectionsActive() == 0);
    }

    @Test
    void maxConnectionsRefuses() throws Exception {
        Server s = px.server(loopback(), () -> new Protocol() {}, ServerOptions.builder().maxConnections(1).build());
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
            runUntil(() -> s.activeConnections() == 1);
            try (Socket b = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
                b.setSoTimeout(5000);
                assertEquals(-1, b.getInputStream().read());
            }
            runUntil(() -> s.refusedConnections() == 1);
        }
    }

    @Test
    void ipv6LoopbackWorksWhenAvailable() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        Server s;
        try {
            s = px.server(new InetSocketAddress(v6, 0), () -> new Protocol() {
                @Override
                public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                    return data;
                }
            });
        } catch (java.io.UncheckedIOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 here: " + e.getMessage());
            return;
        }
        try (Socket c = new Socket(v6, s.localAddress().getPort())) {
            c.setSoTimeout(5000);
            c.getOutputStream().write('6');
            assertEquals('6', c.getInputStream().read());
        }
    }

    @Test
    void closeWithOpenConnectionsStopsEverything() throws Exception {
        Server s = px.server(loopback(), () -> new Protocol() {});
        Socket c = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort());
        runUntil(() -> px.stats().connectionsActive() == 1);
        px.submitTimer(Duration.ofHours(1), null, ctx -> null);
        assertTrue(px.close(Duration.ofSeconds(5)));
        assertTrue(px.close(Duration.ofSeconds(1)), "idempotent");
        c.setSoTimeout(5000);
        assertEquals(-1, c.getInputStream().read());
        c.close();
        assertEquals(0, px.stats().connectionsActive());
        assertEquals(0, px.stats().timersActive());
    }
}

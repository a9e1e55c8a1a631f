package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.Protocol;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The real backend through the public API, on the Windows CI runners (windows-ci.yml). Skipped elsewhere:
 * "Disabled on operating system: ..." in the report. Complements the cross-backend behaviour suite (add a
 * {@code WindowsBehaviourTest} there once it lands).
 */
@EnabledIf(value = "io.pxj.win32.Windows#isAvailable", disabledReason = "needs Windows, or the Wine bridge"
        + " (-Dpxj.win32.bridge=wine, as the wine-test execution of the build sets it)")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WindowsBackendIntegrationTest {
    Px px;
    Thread main;

    @BeforeEach
    void start() throws Exception {
        CompletableFuture<Px> built = new CompletableFuture<>();
        main = new Thread(() -> {
            try (Px p = Px.builder().backend("windows").threads(2).build()) {
                built.complete(p);
                p.run();
            } catch (Throwable t) {
                built.completeExceptionally(t);
            }
        }, "px-test-main-windows");
        main.start();
        px = built.get(15, TimeUnit.SECONDS);
        assertEquals("windows", px.backendName());
    }

    @AfterEach
    void stop() throws Exception {
        px.shutdown();
        main.join(30_000);
    }

    private Server echoServer() {
        Protocol echo = new Protocol() {
            @Override
            public Object dataReceived(io.pxj.runtime.ParallelContext ctx, io.pxj.runtime.Transport t,
                                       java.nio.ByteBuffer data) {
                return data;
            }
        };
        return px.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> echo);
    }

    private static byte[] roundTrip(InetSocketAddress a, byte[] msg) throws Exception {
        try (Socket s = new Socket(a.getAddress(), a.getPort())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(msg);
            out.flush();
            InputStream in = s.getInputStream();
            return in.readNBytes(msg.length);
        }
    }

    @Test
    void echo() throws Exception {
        Server srv = echoServer();
        byte[] msg = "hello over IOCP".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(msg, roundTrip(srv.localAddress(), msg));
    }

    @Test
    void workAndTimersRunOnThePool() throws Exception {
        CountDownLatch done = new CountDownLatch(4);
        px.submitWork(ctx -> 42, r -> done.countDown(), e -> {});
        px.submitTimer(Duration.ofMillis(10), Duration.ofMillis(10), ctx -> {
            done.countDown();
            return null;
        });
        assertTrue(done.await(15, TimeUnit.SECONDS));
    }

    @Test
    @DisabledIf(value = "io.pxj.win32.Windows#isBridged", disabledReason = "Wine deviation DISCONNECTEX_REUSE: Wine"
            + " does not implement DisconnectEx(TF_REUSE_SOCKET), so there is no reuse to count")
    void tenThousandSequentialConnectionsReuseSockets() throws Exception {
        Server srv = echoServer();
        byte[] msg = {1, 2, 3};
        for (int i = 0; i < 10_000; i++) assertArrayEquals(msg, roundTrip(srv.localAddress(), msg));
        var c = px.stats().backendCounters();
        long created = c.getOrDefault("windows.socketsCreated", 0L);
        long reused = c.getOrDefault("windows.socketsReused", 0L);
        assertTrue(reused > 0, "sockets recycled with DisconnectEx(TF_REUSE_SOCKET): " + c);
        assertTrue(created < 2_000, "socket count stays bounded: " + c);
    }

    /**
     * Connection churn, one request per connection, half closed by the server after its reply (HTTP/1.0 style) and
     * half by the client first (the case DisconnectEx(TF_REUSE_SOCKET) recycles on Windows; Wine fails it, so
     * there the socket is closed instead): once idle, every socket is accounted for. Each connection ended in
     * exactly one way (recycled, disconnect failed, or closed without reuse); each AcceptEx took a new or a
     * recycled socket; and every socket created is closed, posted in an AcceptEx or kept as a spare.
     */
    @Test
    void churnedConnectionsAccountForEverySocket() throws Exception {
        Protocol oneRequest = new Protocol() {
            @Override
            public Object dataReceived(io.pxj.runtime.ParallelContext ctx, io.pxj.runtime.Transport t,
                                       java.nio.ByteBuffer data) {
                if (data.get(data.position()) == 'S') { t.close(); } // the reply is still sent, then the FIN
                return data;
            }
        };
        Server srv = px.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> oneRequest);
        int n = 600;
        for (int i = 0; i < n; i++) {
            boolean serverCloses = i % 2 == 0;
            byte[] msg = {(byte) (serverCloses ? 'S' : 'C'), (byte) i};
            try (Socket s = new Socket(srv.localAddress().getAddress(), srv.localAddress().getPort())) {
                s.setSoTimeout(15_000);
                s.getOutputStream().write(msg);
                InputStream in = s.getInputStream();
                assertArrayEquals(msg, in.readNBytes(2), "reply on connection " + i);
                if (serverCloses) { assertEquals(-1, in.read(), "the server closed connection " + i); }
            }
        }
        java.util.function.Supplier<java.util.Map<String, Long>> counters = () -> px.stats().backendCounters();
        assertTrue(eventually(() -> {
            var c = counters.get();
            return c.get("windows.channelsOpen") == 0 && c.get("windows.disconnectsPending") == 0
                    && c.get("windows.connections") == n;
        }), "every connection closed and no DisconnectEx in flight: " + counters.get());
        var c = counters.get();
        long created = c.get("windows.socketsCreated");
        long reused = c.get("windows.socketsReused");
        long recycled = c.get("windows.disconnects");
        long posted = c.get("windows.acceptsPosted");
        assertEquals(0L, c.get("windows.aborts"), "no connection was aborted: " + c);
        assertEquals(0L, c.get("windows.socketsLeaked"), "no socket handle leaked: " + c);
        assertEquals(n, recycled + c.get("windows.disconnectFailures") + c.get("windows.closedWithoutReuse"),
                "each connection ended once: recycled, disconnect failed, or closed without reuse: " + c);
        assertEquals(n + posted, created + reused,
                "each AcceptEx (completed or still posted) took a new or a recycled socket: " + c);
        long spare = recycled - reused; // recycled sockets not yet taken by an AcceptEx
        assertTrue(spare >= 0, "no socket reused more often than recycled: " + c);
        assertEquals(created, c.get("windows.socketsClosed") + posted + spare,
                "every socket created is closed, posted in an AcceptEx or a spare: " + c);
        assertEquals(posted + spare, c.get("windows.socketsLive"), "the live sockets are the posted and spare: " + c);
    }

    private static boolean eventually(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Closing a listener while its AcceptEx are pending: the listener's PoolIo and every accept socket's PoolIo are
     * closed (CloseThreadpoolIo) exactly once, after the aborted completions arrived, and no op memory or socket is
     * left behind.
     */
    @Test
    void closingAServerWithAcceptsPendingClosesEveryPoolIoOnceAndLeaksNothing() throws Exception {
        Server srv = echoServer();
        assertArrayEquals(new byte[] {7}, roundTrip(srv.localAddress(), new byte[] {7})); // one served, recycled
        assertTrue(eventually(() -> px.stats().backendCounters().getOrDefault("windows.acceptsPosted", 0L) > 0));
        // The served connection's socket is recycled or closed after its DisconnectEx: wait for that to settle, or
        // its close would land after the baseline.
        assertTrue(eventually(() -> {
            var c = px.stats().backendCounters();
            return c.getOrDefault("windows.channelsOpen", 0L) == 0
                    && c.getOrDefault("windows.disconnectsPending", 0L) == 0;
        }));
        var before = px.stats().backendCounters();
        long socketsBefore = before.get("windows.socketsLive");
        long closedBefore = before.get("windows.ioObjectsClosed");
        assertTrue(socketsBefore > 0, before.toString());

        srv.close();
        assertTrue(eventually(() -> {
            var c = px.stats().backendCounters();
            return c.get("windows.acceptsPosted") == 0 && c.get("windows.socketsLive") == 0
                    && c.get("windows.opsAllocated") == 0;
        }), () -> "left behind: " + px.stats().backendCounters());
        // One for the listener, one per accept socket: each exactly once (a second close would count again).
        assertTrue(eventually(() -> px.stats().backendCounters().get("windows.ioObjectsClosed")
                == closedBefore + socketsBefore + 1), () -> "closes: " + px.stats().backendCounters());
        Thread.sleep(200);
        var after = px.stats().backendCounters();
        assertEquals(closedBefore + socketsBefore + 1, after.get("windows.ioObjectsClosed"), after.toString());
        assertEquals(0L, after.get("windows.unknownCompletions"), after.toString());
        assertEquals(0L, after.get("windows.callbackFailures"), after.toString());
    }

    /** An abortive close of a connection with a WSARecv pending: its PoolIo is closed once the 995 arrived. */
    @Test
    void abortingAConnectionWithAReceivePendingClosesItsPoolIoOnce() throws Exception {
        CompletableFuture<io.pxj.runtime.Transport> transport = new CompletableFuture<>();
        Protocol grab = new Protocol() {
            @Override
            public void connectionMade(io.pxj.runtime.ParallelContext ctx, io.pxj.runtime.Transport t) {
                transport.complete(t);
            }
        };
        Server srv = px.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> grab);
        try (Socket s = new Socket(srv.localAddress().getAddress(), srv.localAddress().getPort())) {
            io.pxj.runtime.Transport t = transport.get(15, TimeUnit.SECONDS);
            // The server now has a WSARecv pending on the accepted socket (the client sends nothing).
            long closedBefore = px.stats().backendCounters().get("windows.ioObjectsClosed");
            long socketsBefore = px.stats().backendCounters().get("windows.socketsLive");
            t.abort();
            assertTrue(eventually(() -> px.stats().backendCounters().get("windows.socketsLive") < socketsBefore),
                    () -> "socket not destroyed: " + px.stats().backendCounters());
            assertTrue(eventually(() -> px.stats().backendCounters().get("windows.ioObjectsClosed") == closedBefore + 1),
                    () -> "closes: " + px.stats().backendCounters());
            Thread.sleep(200);
            assertEquals(closedBefore + 1, px.stats().backendCounters().get("windows.ioObjectsClosed"));
            assertEquals(0L, px.stats().backendCounters().get("windows.unknownCompletions"));
        } finally {
            srv.close();
        }
    }
}

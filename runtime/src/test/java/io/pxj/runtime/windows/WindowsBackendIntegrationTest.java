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
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The real backend through the public API, on the Windows CI runners (windows-ci.yml). Skipped elsewhere:
 * "Disabled on operating system: ..." in the report. Complements the cross-backend behaviour suite (add a
 * {@code WindowsBehaviourTest} there once it lands).
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "needs real IOCP + thread pool: runs on the Windows CI runners")
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
}

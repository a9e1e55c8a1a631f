package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.PxTimer;
import io.pxj.runtime.Server;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Shutdown: connections, servers, timers, callbacks and threads all end; close is idempotent. */
public abstract class ShutdownBehaviour extends BackendTestSupport {

    @Test
    void closeWithConnectionsOpenClosesThemAllAndStopsEveryThread() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket s = connect(server);
            s.getOutputStream().write(1);
            readExactly(s, 1);
            clients.add(s);
        }
        eventually(() -> f.created.size() == 20 && server.activeConnections() == 20, "20 open connections");
        assertTrue(px.close(Duration.ofSeconds(10)), "close(10 s) with 20 connections open returns true");
        for (Socket s : clients) awaitPeerClosed(s);
        for (Echo p : f.created) {
            assertEquals(0, p.closed.getCount(), "connectionClosed called for every connection");
            assertEquals(1, p.closedCount.get(), "exactly once");
        }
        List<Thread> left = awaitNoNewPxjThreads(Duration.ofSeconds(5));
        assertTrue(left.isEmpty(), "no pxj thread survives close(): " + describe(left));
    }

    @Test
    void closeAndShutdownAreIdempotent() throws Exception {
        server(Echo::new);
        assertTrue(px.close(Duration.ofSeconds(10)), "first close");
        assertTrue(px.close(Duration.ofSeconds(1)), "second close");
        px.close();
        px.shutdown();
        px.shutdown();
    }

    @Test
    void startingAServerAfterCloseFails() throws Exception {
        assertTrue(px.close(Duration.ofSeconds(10)));
        assertThrows(RuntimeException.class, () -> px.server(loopback0(), Echo::new),
                "a closed runtime must refuse new servers rather than ignore them");
    }

    @Test
    void shutdownMakesRunReturnAndRunStopsServers() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        assertSame(mainThread, await(f.started, "serverStarted"), "serverStarted on the main thread");
        InetSocketAddress addr = server.localAddress();
        px.shutdown();
        mainThread.join(WAIT.toMillis());
        assertTrue(!mainThread.isAlive(), "run() returned after shutdown()");
        assertSame(mainThread, await(f.stopped, "serverStopped"), "serverStopped on the main thread, before run() returns");
        eventually(() -> {
            try (Socket s = new Socket()) {
                s.connect(addr, 1000);
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                return false;
            }
        }, "nothing listens on " + addr + " once run() returned");
    }

    @Test
    void serverCloseStopsOnlyThatServer() throws Exception {
        TrackingFactory<Echo> fa = TrackingFactory.of(Echo::new);
        Server a = server(fa);
        Server b = server(Echo::new);
        Socket sa = connect(a);
        sa.getOutputStream().write(1);
        readExactly(sa, 1);
        a.close();
        a.close();
        awaitPeerClosed(sa);
        await(fa.stopped, "serverStopped");
        await(fa.await(0).closed, "connectionClosed");
        try (ServerSocket reuse = new ServerSocket()) {
            reuse.setReuseAddress(true);
            reuse.bind(a.localAddress());
        } catch (IOException e) {
            throw new AssertionError("port " + a.localAddress() + " still bound after server.close()", e);
        }
        try (Socket sb = connect(b)) {
            sb.getOutputStream().write(7);
            assertEquals(7, readExactly(sb, 1)[0], "the other server still serves");
        }
    }

    @Test
    void closeCancelsTimersAndWaitsForRunningCallbacks() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        PxTimer<Void> timer = px.submitTimer(Duration.ZERO, Duration.ofMillis(10), ctx -> {
            ticks.incrementAndGet();
            return null;
        });
        eventually(() -> ticks.get() >= 2, "timer ticking");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        px.submitWork(ctx -> {
            started.countDown();
            Thread.sleep(300); // a callback still running when close() is called
            finished.set(true);
            return null;
        }, v -> { }, e -> { });
        await(started, "work running");
        assertTrue(px.close(Duration.ofSeconds(10)), "close");
        assertTrue(finished.get(), "close() waited for the running callback");
        int atClose = ticks.get();
        stays(Duration.ofMillis(100), () -> ticks.get() == atClose, "no tick after close()");
        assertTrue(timer.isCancelled() || timer.fireCount() == atClose, "timer stopped");
    }
}

package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.Client;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Connection lifecycle: made/closed exactly once, half-close both ways, close vs abort, clients, IPv6. */
public abstract class ConnectionLifecycleBehaviour extends BackendTestSupport {

    private static void assertClosedOnceAndLast(RecordingProtocol p, String who) throws InterruptedException {
        await(p.closed, who + " connectionClosed");
        stays(Duration.ofMillis(100), () -> p.closedCount.get() == 1,
                who + ": connectionClosed exactly once, was " + p.closedCount.get());
        assertEquals(1, p.madeCount.get(), who + ": connectionMade exactly once");
        assertEquals("connectionMade", p.events.get(0), who + " events start with connectionMade: " + p.events);
        assertEquals("connectionClosed", p.events.get(p.events.size() - 1),
                who + " events end with connectionClosed: " + p.events);
    }

    @Test
    void connectionMadeThenConnectionClosedExactlyOnceWhenThePeerCloses() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        Socket s = connect(server);
        s.getOutputStream().write(ascii("hi"));
        readExactly(s, 2);
        Echo p = f.await(0);
        Transport t = await(p.made, "made");
        assertTrue(t.isOpen(), "open before the peer closes");
        s.close();
        assertClosedOnceAndLast(p, "server side");
        assertFalse(t.isOpen(), "transport.isOpen() false after connectionClosed");
        eventually(() -> server.activeConnections() == 0, "server.activeConnections() back to 0");
    }

    @Test
    void peerHalfCloseCallsInputShutdownAndTheServerCanStillSend() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(() -> new Echo() {
            @Override
            public void inputShutdown(ParallelContext ctx, Transport transport) {
                record("inputShutdown", ctx);
                transport.write("bye");
                transport.close();
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("data"));
            s.shutdownOutput();
            assertEquals("databye", new String(readToEof(s), UTF_8), "echo, then inputShutdown's write, then EOF");
            Echo p = f.await(0);
            assertClosedOnceAndLast(p, "server side");
            assertTrue(p.events.contains("inputShutdown"), "inputShutdown called: " + p.events);
        }
    }

    @Test
    void defaultInputShutdownClosesOnlyAfterPendingSendsFinish() throws Exception {
        Server server = server(Echo::new);
        byte[] data = randomBytes(512 * 1024, 7);
        try (Socket s = connect(server)) {
            var written = writeAsync(s, data);
            await(written, "write");
            s.shutdownOutput();
            assertBytes(data, readToEof(s), "all echoed bytes arrive before the server's FIN");
        }
    }

    @Test
    void serverShutdownOutputSendsFinButKeepsReceiving() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                transport.write("hello");
                transport.shutdownOutput();
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                received.add(new String(b, UTF_8));
                return null;
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            assertEquals("hello", new String(readToEof(s), UTF_8), "pending write, then FIN");
            s.getOutputStream().write(ascii("still here"));
            StringBuilder got = new StringBuilder();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.length() < 10 && System.nanoTime() < deadline) {
                String part = received.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (part != null) got.append(part);
            }
            assertEquals("still here", got.toString(), "the server keeps receiving after shutdownOutput");
            assertTrue(await(f.await(0).made, "made").isOpen(), "a half-closed connection is still open");
        }
    }

    @Test
    void gracefulCloseSendsEverythingPendingFirst() throws Exception {
        byte[] data = randomBytes(2 * 1024 * 1024, 8);
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                transport.write(data);
                transport.close();
                transport.close(); // idempotent
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            assertBytes(data, readToEof(s), "2 MiB written before close() all arrive, then EOF");
            assertClosedOnceAndLast(f.await(0), "server side");
        }
    }

    @Test
    void abortDropsPendingSendsAndResetsTheConnection() throws Exception {
        final int size = 32 * 1024 * 1024;
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                transport.write(ByteBuffer.wrap(new byte[size]));
                transport.abort();
                transport.abort(); // idempotent
            }
        });
        Server server = server(f);
        Socket client;
        try {
            client = connect(server);
        } catch (java.net.SocketException reset) {
            // The abort's RST can reach the client before its timed connect reads SO_ERROR: reset at once.
            client = null;
        }
        RecordingProtocol p = f.await(0);
        assertClosedOnceAndLast(p, "server side");
        assertFalse(await(p.made, "made").isOpen(), "aborted transport is not open");
        if (client == null) { return; }
        try (Socket s = client) {
            long got = 0;
            InputStream in = s.getInputStream();
            byte[] b = new byte[64 * 1024];
            try {
                for (int r; (r = in.read(b)) >= 0; ) got += r;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("aborted connection still open on the client after " + WAIT, e);
            } catch (IOException reset) {
                // expected: connection reset
            }
            assertTrue(got < size, "abort drops pending sends, but the client received all " + got + " bytes");
        }
    }

    @Test
    void closeFromAnotherThreadClosesTheConnection() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        try (Socket s = connect(server)) {
            Echo p = f.await(0);
            Transport t = await(p.made, "made");
            t.close(); // test thread: handed to the connection's owner
            assertEquals("eof", awaitPeerClosed(s), "graceful close from a foreign thread ends with FIN");
            assertClosedOnceAndLast(p, "server side");
        }
    }

    @Test
    void clientConnectsToAServerOnTheSameRuntime() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        CompletableFuture<String> reply = new CompletableFuture<>();
        RecordingProtocol clientSide = new RecordingProtocol() {
            final StringBuilder got = new StringBuilder();

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                return "ping from client";
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                got.append(new String(b, UTF_8)); // plain field: callbacks of one protocol never overlap
                if (got.length() >= 16) {
                    reply.complete(got.toString());
                    transport.close();
                }
                return null;
            }
        };
        Client client = client(server.localAddress(), clientSide);
        Transport ct = await(client.connected(), "client.connected()");
        assertTrue(ct.isClient(), "client transport isClient()");
        assertEquals(server.localAddress().getPort(), ct.remoteAddress().getPort(), "client's remote is the server");
        assertEquals("ping from client", await(reply, "echo reply"));
        assertClosedOnceAndLast(clientSide, "client side");
        Echo serverSide = f.await(0);
        assertClosedOnceAndLast(serverSide, "server side");
        Transport st = await(serverSide.made, "server made");
        assertFalse(st.isClient(), "server transport is not a client");
        assertEquals(ct.localAddress().getPort(), st.remoteAddress().getPort(), "both ends agree on the ports");
        assertNotEquals(ct.id(), st.id(), "the two ends have distinct transport ids");
        assertTrue(clientSide.threads.stream().allMatch(BackendTestSupport::isPoolThread),
                "client callbacks run on pool threads: " + clientSide.threads);
        client.close(); // idempotent after the connection closed
    }

    @Test
    void clientCloseClosesGracefullyAndIsIdempotent() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        RecordingProtocol clientSide = new RecordingProtocol();
        Client client = client(server.localAddress(), clientSide);
        await(client.connected(), "connected");
        Echo serverSide = f.await(0);
        await(serverSide.made, "server connectionMade");
        client.close();
        client.close();
        assertClosedOnceAndLast(clientSide, "client side");
        assertClosedOnceAndLast(serverSide, "server side");
    }

    @Test
    void connectFailedIsCalledWhenNothingListensAndNothingElseFollows() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            port = probe.getLocalPort();
        }
        RecordingProtocol p = new RecordingProtocol();
        InetSocketAddress nowhere = new InetSocketAddress(LOOPBACK, port);
        Client client = client(nowhere, p);
        Throwable cause = await(p.connectFailure, "connectFailed");
        assertNotNull(cause, "connectFailed gets a cause");
        Throwable stageFailure = awaitFailure(client.connected(), "client.connected()");
        assertNotNull(stageFailure);
        stays(Duration.ofMillis(100), () -> p.madeCount.get() == 0 && p.closedCount.get() == 0,
                "no connectionMade/connectionClosed after connectFailed: " + p.events);
        assertEquals(java.util.List.of("connectFailed"), p.events, "only connectFailed");
        client.close();
    }

    @Test
    void ipv6LoopbackServerAndClient() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(v6, 0));
        } catch (IOException e) {
            Assumptions.abort("IPv6 loopback ::1 is not available on this host: " + e);
        }
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(new InetSocketAddress(v6, 0), f);
        assertInstanceOf(Inet6Address.class, server.localAddress().getAddress(), "bound to ::1");
        try (Socket s = connect(server.localAddress())) {
            s.getOutputStream().write(ascii("v6"));
            assertEquals("v6", new String(readExactly(s, 2), UTF_8));
            Transport t = await(f.await(0).made, "made");
            assertInstanceOf(Inet6Address.class, t.remoteAddress().getAddress(), "remote is IPv6");
        }
        CompletableFuture<String> reply = new CompletableFuture<>();
        Client client = client(server.localAddress(), new RecordingProtocol() {
            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                return "x";
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                reply.complete(UTF_8.decode(data).toString());
                transport.close();
                return null;
            }
        });
        assertEquals("x", await(reply, "IPv6 client echo"));
        client.close();
    }

    @Test
    void transportCountersTrackTheConnection() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        try (Socket s = connect(server)) {
            byte[] data = randomBytes(10_000, 9);
            var w = writeAsync(s, data);
            readExactly(s, data.length);
            await(w, "write");
            Transport t = await(f.await(0).made, "made");
            eventually(() -> t.bytesSent() == 10_000 && t.pendingSendBytes() == 0,
                    "bytesSent 10000 and nothing pending (sent " + t.bytesSent() + ")");
            assertEquals(10_000, t.bytesReceived(), "bytesReceived");
            assertTrue(t.sendsCompleted() >= 1, "sendsCompleted counts the echoes");
            Duration e1 = t.elapsed();
            sleepQuietly(20);
            Duration e2 = t.elapsed();
            assertFalse(e1.isNegative(), "elapsed() >= 0");
            assertTrue(e2.compareTo(e1) > 0, "elapsed() grows: " + e1 + " then " + e2);
            assertEquals(s.getLocalPort(), t.remoteAddress().getPort(), "remoteAddress");
        }
    }
}

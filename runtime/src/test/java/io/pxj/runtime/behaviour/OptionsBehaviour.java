package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.IoMode;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Server;
import io.pxj.runtime.ServerOptions;
import io.pxj.runtime.Transport;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ProtocolOptions and ServerOptions every backend honours. Timing assertions are lower bounds only. */
public abstract class OptionsBehaviour extends BackendTestSupport {

    @Test
    void aRateLimitSlowsASendDown() throws Exception {
        final int size = 256 * 1024;
        final long rate = 128 * 1024; // 2 s for 256 KiB; asserted >= 1 s to allow a first burst
        byte[] data = randomBytes(size, 11);
        ProtocolOptions opts = ProtocolOptions.builder().rateLimitBytesPerSecond(rate).build();
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public ProtocolOptions options() {
                return opts;
            }

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                return data;
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
                transport.close();
                return null;
            }
        });
        long start = System.nanoTime();
        try (Socket s = connect(server)) {
            byte[] got = readToEof(s);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertBytes(data, got, "rate-limited send");
            assertTrue(ms >= 1000, "256 KiB at 128 KiB/s took only " + ms + " ms (ideal 2000 ms)");
        }
    }

    @Test
    void backPressureStopsReadingWhileTooMuchWaitsToBeSent() throws Exception {
        final int hwm = 64 * 1024;
        final int rcv = 16 * 1024;
        ProtocolOptions opts = ProtocolOptions.builder().sendHighWaterMark(hwm).receiveBufferSize(rcv).build();
        TrackingFactory<Echo> f = TrackingFactory.of(() -> new Echo(opts));
        Server server = server(f);
        SocketChannel ch = closeLater(SocketChannel.open());
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
        ch.connect(server.localAddress());
        ch.configureBlocking(false);
        final long cap = 256L * 1024 * 1024;
        ByteBuffer out = ByteBuffer.allocate(64 * 1024);
        long written = 0;
        long lastProgress = System.nanoTime();
        long deadline = lastProgress + WAIT.toNanos();
        // The client writes and never reads: the server's sends back up, so it must stop reading.
        while (written < cap && System.nanoTime() - lastProgress < 1_000_000_000L && System.nanoTime() < deadline) {
            if (!out.hasRemaining() || out.position() == 0) {
                out.clear();
                for (int i = 0; i < out.capacity(); i++) out.put((byte) ((written + i) % 251));
                out.flip();
            }
            int w = ch.write(out);
            if (w > 0) {
                written += w;
                lastProgress = System.nanoTime();
            } else {
                sleepQuietly(2);
            }
        }
        final long totalWritten = written;
        assertTrue(totalWritten < cap, "the client wrote " + totalWritten + " bytes without the server pushing back");
        Transport t = await(f.await(0).made, "made");
        long received = t.bytesReceived();
        stays(Duration.ofMillis(300), () -> t.bytesReceived() == received, "the server stopped reading");
        assertTrue(t.pendingSendBytes() <= hwm + rcv, "pendingSendBytes " + t.pendingSendBytes()
                + " should not exceed sendHighWaterMark + one receive buffer (" + (hwm + rcv) + ")");
        // Now read: everything written comes back, in order, and the server resumes reading.
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long read = 0;
        deadline = System.nanoTime() + WAIT.toNanos();
        while (read < totalWritten) {
            assertTrue(System.nanoTime() < deadline, "only " + read + " of " + totalWritten + " bytes came back");
            in.clear();
            int r = ch.read(in);
            assertTrue(r >= 0, "EOF after " + read + " bytes");
            if (r == 0) {
                sleepQuietly(1);
                continue;
            }
            for (int i = 0; i < r; i++) {
                if (in.get(i) != (byte) ((read + i) % 251)) throw new AssertionError("byte " + (read + i) + " differs");
            }
            read += r;
        }
        assertTrue(t.bytesReceived() > received, "the server resumed reading once sends drained");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        ProtocolOptions opts = ProtocolOptions.builder().idleTimeout(Duration.ofMillis(300)).build();
        TrackingFactory<Echo> f = TrackingFactory.of(() -> new Echo(opts));
        Server server = server(f);
        long start = System.nanoTime();
        try (Socket s = connect(server)) {
            awaitPeerClosed(s);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 250, "closed after " + ms + " ms; the idle timeout is 300 ms");
            await(f.await(0).closed, "connectionClosed");
        }
    }

    @Test
    void trafficResetsTheIdleTimeout() throws Exception {
        ProtocolOptions opts = ProtocolOptions.builder().idleTimeout(Duration.ofMillis(1000)).build();
        TrackingFactory<Echo> f = TrackingFactory.of(() -> new Echo(opts));
        Server server = server(f);
        try (Socket s = connect(server)) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_600_000_000L) { // 1.6 s of pings every 200 ms
                s.getOutputStream().write('p');
                assertEquals('p', readExactly(s, 1)[0], "echo while active, at "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
                sleepQuietly(200);
            }
            assertEquals(0, f.await(0).closedCount.get(), "still open after 1.6 s of traffic with a 1 s idle timeout");
            awaitPeerClosed(s); // and closed once quiet
        }
    }

    @Test
    void dataReceivedNeverSeesMoreThanTheReceiveBufferSize() throws Exception {
        AtomicLong max = new AtomicLong();
        AtomicLong total = new AtomicLong();
        ProtocolOptions opts = ProtocolOptions.builder().receiveBufferSize(128).build();
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public ProtocolOptions options() {
                return opts;
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                max.accumulateAndGet(data.remaining(), Math::max);
                total.addAndGet(data.remaining());
                return null;
            }
        });
        try (Socket s = connect(server)) {
            s.getOutputStream().write(randomBytes(20_000, 12));
            eventually(() -> total.get() == 20_000, "20000 bytes received (" + total.get() + ")");
            assertTrue(max.get() <= 128 && max.get() > 0, "largest dataReceived was " + max.get() + " bytes");
        }
    }

    @ParameterizedTest(name = "tcpNoDelay {0}")
    @ValueSource(booleans = {true, false})
    void smallRequestResponseWorksWithEitherTcpNoDelaySetting(boolean noDelay) throws Exception {
        // No public API exposes socket options, so this checks the option is accepted and traffic is correct.
        ProtocolOptions opts = ProtocolOptions.builder().tcpNoDelay(noDelay).build();
        Server server = server(() -> new Echo(opts));
        try (Socket s = connect(server)) {
            for (int i = 0; i < 100; i++) {
                s.getOutputStream().write(i);
                assertEquals((byte) i, readExactly(s, 1)[0], "ping-pong " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(IoMode.class)
    void everyIoModeEchoesByteExact(IoMode mode) throws Exception {
        ProtocolOptions opts = ProtocolOptions.builder().ioMode(mode).build();
        Server server = server(() -> new Echo(opts));
        byte[] data = randomBytes(1024 * 1024, mode.ordinal());
        try (Socket s = connect(server)) {
            var w = writeAsync(s, data);
            assertBytes(data, readExactly(s, data.length), mode + " echo");
            await(w, "write");
            s.getOutputStream().write(ascii("small"));
            assertEquals("small", new String(readExactly(s, 5), UTF_8), mode + " small message");
        }
    }

    @Test
    void deferAcceptServesAClientThatSpeaksFirstAndStillAcceptsASilentOne() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f, ServerOptions.builder().deferAccept(true).build());
        try (Socket silent = connect(server); Socket talker = connect(server)) {
            talker.getOutputStream().write(7);
            assertEquals(7, readExactly(talker, 1)[0], "the client that spoke first is answered");
            // Accepted at connect or (epoll) once the deferral ends, about a second later: never left waiting.
            eventually(() -> f.created.size() == 2, "the silent connection is accepted too");
            silent.getOutputStream().write(9);
            assertEquals(9, readExactly(silent, 1)[0], "and served when it speaks");
        }
    }

    @Test
    void maxConnectionsRefusesTheExtraConnection() throws Exception {
        long refusedBefore = px.stats().connectionsRefused();
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f, ServerOptions.builder().maxConnections(2).build());
        try (Socket a = connect(server); Socket b = connect(server)) {
            a.getOutputStream().write(1);
            readExactly(a, 1);
            b.getOutputStream().write(2);
            readExactly(b, 1);
            try (Socket c = connect(server)) {
                awaitPeerClosed(c);
            }
            eventually(() -> server.refusedConnections() == 1, "server.refusedConnections() == 1");
            assertTrue(px.stats().connectionsRefused() > refusedBefore, "stats().connectionsRefused grows");
            assertEquals(2, f.created.size(), "no protocol made for the refused connection");
            a.getOutputStream().write(3);
            assertEquals(3, readExactly(a, 1)[0], "accepted connections keep working");
        }
    }
}

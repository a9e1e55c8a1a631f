package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.FileRegion;
import io.pxj.runtime.IoMode;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** nio end-to-end: file sends, half-close, idle timeout, rate limit, IoModes. Loopback only. */
@Timeout(20)
class TransportFeaturesTest {
    final Px px = Px.builder().backend("nio").threads(2).build();

    @AfterEach
    void stop() {
        assertTrue(px.close(Duration.ofSeconds(5)));
    }

    Socket connect(Supplier<Protocol> p) throws Exception {
        Server s = px.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), p::get);
        Socket c = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort());
        c.setSoTimeout(5000);
        return c;
    }

    @Test
    void fileRegionWithHeadAndTailIsSentZeroCopy(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 31);
        Path f = Files.write(dir.resolve("data.bin"), content);
        try (Socket c = connect(() -> new Protocol() {
            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport t) {
                return new FileRegion(ByteBuffer.wrap("HEAD".getBytes(StandardCharsets.US_ASCII)), f, 1000, 250_000,
                        ByteBuffer.wrap("TAIL".getBytes(StandardCharsets.US_ASCII)));
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport t, long id) {
                t.close();
                return null;
            }
        })) {
            byte[] got = c.getInputStream().readAllBytes();
            assertEquals(4 + 250_000 + 4, got.length);
            assertEquals("HEAD", new String(got, 0, 4, StandardCharsets.US_ASCII));
            byte[] mid = java.util.Arrays.copyOfRange(got, 4, 4 + 250_000);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, 251_000), mid);
            assertEquals("TAIL", new String(got, got.length - 4, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void halfCloseBothWays() throws Exception {
        CompletableFuture<String> sawEof = new CompletableFuture<>();
        try (Socket c = connect(() -> new Protocol() {
            final StringBuilder in = new StringBuilder();

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport t) {
                t.write("bye");
                t.shutdownOutput(); // FIN after "bye"; we keep reading
                return null;
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                in.append(StandardCharsets.US_ASCII.decode(data));
                return null;
            }

            @Override
            public void inputShutdown(ParallelContext ctx, Transport t) {
                sawEof.complete(in.toString());
                t.close();
            }
        })) {
            InputStream is = c.getInputStream();
            assertEquals("bye", new String(is.readAllBytes(), StandardCharsets.US_ASCII));
            c.getOutputStream().write("still talking".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertEquals("still talking", sawEof.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (Socket c = connect(() -> new Protocol() {
            @Override
            public ProtocolOptions options() {
                return ProtocolOptions.builder().idleTimeout(Duration.ofMillis(100)).build();
            }
        })) {
            long t0 = System.nanoTime();
            assertEquals(-1, c.getInputStream().read());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(80));
        }
    }

    @Test
    void rateLimitSlowsSends() throws Exception {
        try (Socket c = connect(() -> new Protocol() {
            @Override
            public ProtocolOptions options() {
                return ProtocolOptions.builder().rateLimitBytesPerSecond(8_000).build();
            }

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport t) {
                return new byte[4_000];
            }
        })) {
            long t0 = System.nanoTime();
            assertEquals(4_000, c.getInputStream().readNBytes(4_000).length);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 350 && ms < 3000, "4000 bytes at 8000 B/s took " + ms + " ms");
        }
    }

    @Test
    void everyIoModeEchoes() throws Exception {
        for (IoMode mode : IoMode.values()) {
            try (Socket c = connect(() -> new Protocol() {
                @Override
                public ProtocolOptions options() {
                    return ProtocolOptions.builder().ioMode(mode).receiveBufferSize(1024).build();
                }

                @Override
                public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                    return data;
                }
            })) {
                byte[] msg = new byte[100_000];
                for (int i = 0; i < msg.length; i++) msg[i] = (byte) i;
                Thread w = new Thread(() -> {
                    try {
                        c.getOutputStream().write(msg);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                w.start();
                assertArrayEquals(msg, c.getInputStream().readNBytes(msg.length), mode.toString());
                w.join();
            }
        }
    }

    @Test
    void backPressureStopsReadingFromAPeerThatDoesNotRead() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Transport> server = new java.util.concurrent.atomic.AtomicReference<>();
        byte[] reply = new byte[256 * 1024];
        try (Socket c = connect(() -> new Protocol() {
            @Override
            public ProtocolOptions options() {
                return ProtocolOptions.builder().sendHighWaterMark(64 * 1024).receiveBufferSize(4096).build();
            }

            @Override
            public void connectionMade(ParallelContext ctx, Transport t) {
                server.set(t);
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
                return reply; // far more than the peer will ever read
            }
        })) {
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = new byte[8192];
                    while (true) c.getOutputStream().write(chunk);
                } catch (Exception expected) {
                    // closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(400);
            long before = server.get().bytesReceived();
            Thread.sleep(300);
            assertEquals(before, server.get().bytesReceived(), "no reads while sends are backed up");
            // Paused with hysteresis: reading resumes only once pending drops to half the high-water mark.
            assertTrue(server.get().pendingSendBytes() > 32 * 1024, "pending " + server.get().pendingSendBytes());
        }
    }

    @Test
    void writesFromTheMainThreadAreDelivered() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Transport> server = new java.util.concurrent.atomic.AtomicReference<>();
        try (Socket c = connect(() -> new Protocol() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport t) {
                server.set(t);
            }
        })) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.get() == null && System.nanoTime() < deadline) px.runOnce(Duration.ofMillis(5));
            for (int i = 0; i < 100; i++) server.get().write("line " + i + "\n");
            server.get().write(ByteBuffer.allocateDirect(3).put("end".getBytes(StandardCharsets.US_ASCII)).flip());
            server.get().close();
            String all = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(all.startsWith("line 0\nline 1\n"), all);
            assertTrue(all.endsWith("line 99\nend"), all);
        }
    }
}

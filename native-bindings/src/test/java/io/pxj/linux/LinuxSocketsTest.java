package io.pxj.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Linux facade against the real kernel, over loopback. */
@EnabledOnOs(OS.LINUX)
class LinuxSocketsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private LinuxSockets sockets;
    private Epoll epoll;
    private final Memory buf = new Memory(4096);
    private final long addr = Pointer.nativeValue(buf);

    @BeforeEach
    void open() throws IOException {
        assertTrue(Linux.isAvailable(), () -> "unavailable: " + Linux.unavailabilityCause());
        assertNull(Linux.unavailabilityCause());
        sockets = new LinuxSockets();
        epoll = Epoll.open(64);
    }

    @AfterEach
    void close() {
        epoll.close();
        epoll.close(); // idempotent
        sockets.close();
        sockets.close();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private String readAll(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                break;
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void acceptReadWriteGatherSendfileShutdown(@TempDir Path dir) throws Exception {
        int lfd = sockets.listen(LOOPBACK, 16, false);
        try {
            InetSocketAddress bound = sockets.localAddress(lfd);
            assertTrue(bound.getPort() > 0);
            assertEquals(-1, sockets.accept(lfd), "nothing pending: -1, not an exception");
            epoll.add(lfd, Epoll.IN, 7L);
            try (SocketChannel client = SocketChannel.open(bound)) {
                assertEquals(1, epoll.await(5000));
                assertEquals(7L, epoll.data(0));
                assertTrue((epoll.events(0) & Epoll.IN) != 0);
                int fd = sockets.accept(lfd);
                assertTrue(fd >= 0);
                try {
                    assertEquals(client.getLocalAddress(), sockets.acceptedPeer());
                    assertEquals(client.getLocalAddress(), sockets.peerAddress(fd));
                    assertEquals(bound, sockets.localAddress(fd));
                    assertEquals(0, sockets.read(fd, addr, 4096), "no data yet: would block");

                    client.write(ByteBuffer.wrap(ascii("hello")));
                    epoll.add(fd, Epoll.IN, 42L);
                    int n = epoll.await(5000);
                    assertTrue(n >= 1);
                    assertEquals(42L, epoll.data(0));
                    assertEquals(5, sockets.read(fd, addr, 4096));
                    byte[] got = new byte[5];
                    buf.read(0, got, 0, 5);
                    assertArrayEquals(ascii("hello"), got);

                    buf.write(0, ascii("abcdef"), 0, 6);
                    assertEquals(3, sockets.write(fd, addr, 3));
                    sockets.iovec(0, addr + 3, 3);
                    sockets.iovec(1, addr, 2);
                    assertEquals(5, sockets.writev(fd, 2));
                    assertEquals("abcdefab", readAll(client, 8));

                    Path file = Files.write(dir.resolve("f.txt"), ascii("0123456789"));
                    int ffd = sockets.openForReading(file);
                    try {
                        assertEquals(4, sockets.sendfile(fd, ffd, 3, 4));
                    } finally {
                        sockets.close(ffd);
                    }
                    assertEquals("3456", readAll(client, 4));

                    assertFalse(sockets.noDelay(fd));
                    sockets.setNoDelay(fd, true);
                    assertTrue(sockets.noDelay(fd));
                    sockets.shutdownOutput(fd);
                    assertEquals(-1, client.read(ByteBuffer.allocate(1)), "FIN after shutdownOutput");
                    client.close();
                    epoll.modify(fd, Epoll.IN, 43L);
                    assertTrue(epoll.await(5000) >= 1);
                    assertEquals(-1, sockets.read(fd, addr, 4096), "peer closed: end of stream");
                } finally {
                    sockets.close(fd);
                }
            }
        } finally {
            sockets.close(lfd);
        }
    }

    @Test
    void abortiveCloseResetsThePeer() throws Exception {
        int lfd = sockets.listen(LOOPBACK, 16, false);
        try (SocketChannel client = SocketChannel.open(sockets.localAddress(lfd))) {
            int fd;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((fd = sockets.accept(lfd)) < 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(fd >= 0);
            sockets.setLingerZero(fd);
            sockets.close(fd);
            IOException e = assertThrows(IOException.class, () -> client.read(ByteBuffer.allocate(1)));
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        } finally {
            sockets.close(lfd);
        }
    }

    @Test
    void deferredAcceptHandsOverAConnectionWithItsFirstBytesOrASilentOneAfterAboutASecond() throws Exception {
        int lfd = sockets.listen(LOOPBACK, 16, false);
        try {
            assertEquals(0, sockets.deferAccept(lfd));
            // 3 s (not the 1 s servers use) leaves a loaded machine time for the steps below before it ends.
            sockets.setDeferAccept(lfd, 3);
            assertTrue(sockets.deferAccept(lfd) > 0, "TCP_DEFER_ACCEPT in effect");
            epoll.add(lfd, Epoll.IN, 3L);
            InetSocketAddress bound = sockets.localAddress(lfd);
            try (SocketChannel talker = SocketChannel.open(bound); SocketChannel silent = SocketChannel.open(bound)) {
                // Both handshakes are complete on the client side, yet neither is acceptable: no data yet. The
                // kernel's SYN-ACK retransmissions (what ends the deferral) are a second and three away.
                assertEquals(0, epoll.await(200));
                assertEquals(-1, sockets.accept(lfd));
                talker.write(ByteBuffer.wrap(ascii("GET")));
                assertEquals(1, epoll.await(5000));
                int fd = sockets.accept(lfd);
                assertTrue(fd >= 0);
                try {
                    assertEquals(talker.getLocalAddress(), sockets.acceptedPeer());
                    assertEquals(3, sockets.read(fd, addr, 64), "the request came with the connection");
                } finally {
                    sockets.close(fd);
                }
                // The silent client is not kept waiting forever.
                int late;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((late = sockets.accept(lfd)) < 0 && System.nanoTime() < deadline) {
                    epoll.await(100);
                }
                assertTrue(late >= 0, "a silent client is accepted once the deferral ends");
                try {
                    assertEquals(silent.getLocalAddress(), sockets.acceptedPeer());
                    assertEquals(0, sockets.read(late, addr, 64), "accepted without data: would block");
                } finally {
                    sockets.close(late);
                }
            }
        } finally {
            sockets.close(lfd);
        }
    }

    @Test
    void connectCompletesOrReportsRefusal() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            InetSocketAddress remote = (InetSocketAddress) ss.getLocalSocketAddress();
            int fd = sockets.socketFor(remote);
            try {
                if (!sockets.connect(fd, remote)) {
                    epoll.add(fd, Epoll.OUT, 1L);
                    assertEquals(1, epoll.await(5000));
                }
                sockets.finishConnect(fd, remote);
                assertEquals(remote, sockets.peerAddress(fd));
            } finally {
                sockets.close(fd);
            }
        }
        InetSocketAddress closedPort;
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) ss.getLocalSocketAddress();
        }
        int fd = sockets.socketFor(closedPort);
        try {
            LinuxException e = assertThrows(LinuxException.class, () -> {
                if (!sockets.connect(fd, closedPort)) {
                    epoll.add(fd, Epoll.OUT, 1L);
                    epoll.await(5000);
                    sockets.finishConnect(fd, closedPort);
                }
            });
            assertEquals("ECONNREFUSED", e.errorName());
            assertTrue(e.getMessage().startsWith("connect(" + closedPort + ") failed: 111 ECONNREFUSED ("),
                    e.getMessage());
        } finally {
            sockets.close(fd);
        }
    }

    @Test
    void errorsNameTheCallAndTheErrno() {
        LinuxException e = assertThrows(LinuxException.class, () -> sockets.close(Integer.MAX_VALUE));
        assertEquals("close", e.function());
        assertEquals(9, e.errno());
        assertEquals("close failed: 9 EBADF (Bad file descriptor)", e.getMessage());
        LinuxException bind = assertThrows(LinuxException.class,
                () -> sockets.listen(new InetSocketAddress("192.0.2.1", 0), 1, false));
        assertEquals("EADDRNOTAVAIL", bind.errorName());
        assertTrue(bind.function().startsWith("bind("), bind.function());
        assertThrows(IllegalArgumentException.class, () -> Epoll.open(0));
        assertThrows(IllegalArgumentException.class, () -> sockets.writev(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> sockets.iovec(LinuxSockets.IOV_MAX, 0, 0));
    }

    @Test
    void wakeupEndsABlockingWaitAndIsNotReported() throws Exception {
        CompletableFuture<Integer> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return epoll.await(10_000);
            } catch (LinuxException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        epoll.wakeup();
        assertEquals(0, waited.get(5, TimeUnit.SECONDS));
        epoll.wakeup(); // pending wake-up: the next wait returns at once, still reporting nothing
        assertEquals(0, epoll.await(5000));
        assertFalse(epoll.fd() < 0);
    }

    @Test
    void dualStackWildcardAcceptsIpv4Peers() throws Exception {
        int lfd = sockets.listen(new InetSocketAddress("0.0.0.0", 0), 4, false);
        try (SocketChannel client = SocketChannel.open(
                new InetSocketAddress("127.0.0.1", sockets.localAddress(lfd).getPort()))) {
            int fd;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((fd = sockets.accept(lfd)) < 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(fd >= 0);
            assertEquals(client.getLocalAddress(), sockets.acceptedPeer(), "v4-mapped peers read as IPv4");
            sockets.close(fd);
        } finally {
            sockets.close(lfd);
        }
    }
}

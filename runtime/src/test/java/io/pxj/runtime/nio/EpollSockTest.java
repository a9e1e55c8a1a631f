package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link EpollSock}'s buffer handling against a real socket: positions advance by what the kernel took, heap
 * buffers go through the bounce buffer (also when larger than it), and a gather that mixes heap and direct
 * buffers writes them in order.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(20)
class EpollSockTest {
    private EpollPoller poller;
    private int listenFd = -1;
    private SocketChannel peer;
    private EpollSock sock;

    @BeforeEach
    void connect() throws Exception {
        poller = new EpollPoller(null); // never polled here: the loop is needed only to dispatch events
        listenFd = poller.sockets.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, false);
        InetSocketAddress bound = poller.sockets.localAddress(listenFd);
        peer = SocketChannel.open(bound);
        int fd;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((fd = poller.sockets.accept(listenFd)) < 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(fd >= 0, "accepted");
        sock = new EpollSock(fd, bound, poller.sockets.acceptedPeer(), poller);
        assertEquals(peer.getLocalAddress(), sock.remoteAddress());
    }

    @AfterEach
    void close() throws Exception {
        if (sock != null) { sock.close(null); }
        if (peer != null) { peer.close(); }
        if (listenFd >= 0) { poller.sockets.close(listenFd); }
        poller.close();
    }

    private byte[] readPeer(int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (peer.read(b) < 0) { break; }
        }
        return b.array();
    }

    private static byte[] random(int n, long seed) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    @Test
    void heapAndDirectWritesAdvanceByWhatWasWritten() throws Exception {
        ByteBuffer heap = ByteBuffer.wrap("xxhello".getBytes()).position(2);
        assertEquals(5, sock.write(heap));
        assertEquals(7, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(5).put("world".getBytes()).flip();
        assertEquals(5, sock.write(direct));
        assertEquals(5, direct.position());
        assertArrayEquals("helloworld".getBytes(), readPeer(10));
    }

    @Test
    void aHeapBufferLargerThanTheBounceBufferIsWrittenInPieces() throws Exception {
        byte[] data = random(200_000, 1);
        ByteBuffer heap = ByteBuffer.wrap(data);
        Thread reader = new Thread(() -> {
            try {
                assertArrayEquals(data, readPeer(data.length));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        reader.start();
        while (heap.hasRemaining()) {
            sock.write(heap); // 0 when the socket buffer is full: the reader drains it
            Thread.onSpinWait();
        }
        reader.join(10_000);
    }

    @Test
    void aGatherMixingHeapAndDirectBuffersKeepsTheirOrder() throws Exception {
        ByteBuffer[] bs = {
            ByteBuffer.allocateDirect(3).put("abc".getBytes()).flip(),
            ByteBuffer.wrap("def".getBytes()),
            ByteBuffer.allocateDirect(3).put("ghi".getBytes()).flip(),
        };
        assertEquals(9, sock.write(bs, 0, 3));
        for (ByteBuffer b : bs) { assertEquals(0, b.remaining()); }
        ByteBuffer[] direct = {
            ByteBuffer.allocateDirect(2).put("jk".getBytes()).flip(),
            ByteBuffer.allocateDirect(0),
            ByteBuffer.allocateDirect(2).put("lm".getBytes()).flip(),
        };
        assertEquals(4, sock.write(direct, 0, 3));
        assertArrayEquals("abcdefghijklm".getBytes(), readPeer(13));
    }

    @Test
    void readsIntoHeapAndDirectBuffersThenSeeEndOfStream() throws Exception {
        ByteBuffer empty = ByteBuffer.allocateDirect(16);
        assertEquals(0, sock.read(empty), "nothing there: would block");
        peer.write(ByteBuffer.wrap("0123456789".getBytes()));
        ByteBuffer heap = ByteBuffer.allocate(4);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int n;
        while ((n = sock.read(heap)) == 0 && System.nanoTime() < deadline) { Thread.onSpinWait(); }
        assertEquals(4, n);
        assertArrayEquals("0123".getBytes(), heap.array());
        ByteBuffer direct = ByteBuffer.allocateDirect(16).position(1);
        assertEquals(6, sock.read(direct));
        assertEquals(7, direct.position());
        byte[] got = new byte[6];
        direct.flip().position(1);
        direct.get(got);
        assertArrayEquals("456789".getBytes(), got);
        peer.shutdownOutput();
        while ((n = sock.read(empty)) == 0 && System.nanoTime() < deadline) { Thread.onSpinWait(); }
        assertEquals(-1, n, "end of stream");
    }
}

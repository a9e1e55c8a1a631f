package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.Channel;
import io.pxj.runtime.spi.ConnectionHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connect still in progress when the backend closes is abandoned: its handler hears {@code connectFailed} and
 * its socket is closed, on both transports. The connect is held pending by a loopback listener whose accept queue
 * is full (Linux then drops the SYN, and the client retransmits).
 */
@Timeout(30)
class PendingConnectTest {
    /** Records the first outcome. */
    static class Outcome implements ConnectionHandler {
        final CompletableFuture<String> first = new CompletableFuture<>();

        @Override public void opened(Channel channel) { first.complete("opened"); }
        @Override public void connectFailed(Throwable cause) { first.complete("connectFailed: " + cause.getMessage()); }
        @Override public void received(int bytes, long readyNanos) { }
        @Override public ByteBuffer receiveBuffer() { return null; }
        @Override public void inputClosed() { }
        @Override public void sendCompleted(long bytes) { }
        @Override public void failed(Throwable cause) { }
        @Override public void closed() { }
    }

    private static NioTransport transport(String name) {
        assumeTrue(name.equals("nio") || EpollTransport.isAvailable(), "epoll needs Linux");
        return name.equals("nio") ? JdkTransport.INSTANCE : EpollTransport.INSTANCE;
    }

    /** Connects that are never accepted, until {@code target}'s accept queue is full and SYNs are dropped. */
    private static void fillAcceptQueue(InetSocketAddress target, List<SocketChannel> fillers) throws Exception {
        for (int i = 0; i < 8; i++) {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            c.connect(target);
            fillers.add(c);
        }
        Thread.sleep(200);
    }

    private static long openFds() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) { return -1; }
        try (var s = Files.list(fds)) { return s.count(); }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aConnectInProgressIsFailedAndClosedWhenTheBackendCloses(String transport) throws Exception {
        NioTransport t = transport(transport);
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
            fillAcceptQueue(target, fillers);
            long before = openFds();
            NioBackend backend = new NioBackend(new BackendConfig(1, 1, 1, "pxj-pending-"), t);
            Outcome o = new Outcome();
            backend.connect(target, o);
            Thread.sleep(300);
            assumeTrue(!o.first.isDone(), "the connect completed at once: this kernel did not hold it pending");
            assertTrue(backend.close(Duration.ofSeconds(5)));
            String outcome = o.first.get(5, TimeUnit.SECONDS);
            assertTrue(outcome.startsWith("connectFailed: connect abandoned: the " + transport + " backend is closing"),
                    outcome);
            if (before >= 0) {
                assertEquals(before, openFds(), "the abandoned connect's socket and the loop's descriptors closed");
            }
            assertFalse(outcome.contains("opened"));
        } finally {
            for (SocketChannel c : fillers) { c.close(); }
        }
    }

    /**
     * A connect that a task starts while the loop is closing (here: one that a channel's {@code closed()} posts
     * during the final abort) is abandoned too, instead of being left registered after the loop's last pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aConnectStartedByAClosingTaskIsAbandonedToo(String transport) throws Exception {
        NioTransport t = transport(transport);
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket open = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
            fillAcceptQueue(target, fillers);
            NioBackend backend = new NioBackend(new BackendConfig(1, 1, 1, "pxj-late-connect-"), t);
            Outcome late = new Outcome();
            Outcome first = new Outcome() {
                @Override public void closed() {
                    EventLoop loop = ((EventLoop.LoopThread) Thread.currentThread()).loop;
                    loop.execute(() -> t.connect(loop, target, late));
                }
            };
            backend.connect((InetSocketAddress) open.getLocalSocketAddress(), first);
            assertEquals("opened", first.first.get(5, TimeUnit.SECONDS));
            assertTrue(backend.close(Duration.ofSeconds(5)));
            String outcome = late.first.get(5, TimeUnit.SECONDS);
            assertTrue(outcome.startsWith("connectFailed: connect abandoned"), outcome);
        } finally {
            for (SocketChannel c : fillers) { c.close(); }
        }
    }
}

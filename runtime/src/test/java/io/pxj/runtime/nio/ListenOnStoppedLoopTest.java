package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pxj.runtime.spi.BackendConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A listener whose registration never runs (its loop has stopped) fails the listen and frees its port, on both
 * transports: the socket is closed by the caller when no loop is left to close it.
 */
@Timeout(30)
class ListenOnStoppedLoopTest {
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aListenerThatCannotRegisterReleasesItsPort(String transport) throws Exception {
        assumeTrue(transport.equals("nio") || EpollTransport.isAvailable(), "epoll needs Linux");
        NioTransport t = transport.equals("nio") ? JdkTransport.INSTANCE : EpollTransport.INSTANCE;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            port = probe.getLocalPort();
        }
        NioBackend backend = new NioBackend(new BackendConfig(1, 1, 1, "pxj-stopped-"), t);
        try {
            EventLoop loop = backend.nextLoop();
            loop.stop();
            loop.thread.join(5000);
            assertFalse(loop.thread.isAlive());
            assertThrows(IOException.class,
                    () -> backend.listen(new InetSocketAddress(loopback, port), 16, false, 1, () -> null));
            try (ServerSocket again = new ServerSocket(port, 1, loopback)) {
                assertFalse(again.isClosed()); // the failed listener's port is free again
            }
        } finally {
            backend.close(Duration.ofSeconds(5));
        }
    }
}

package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pxj.linux.LinuxSockets;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.Listener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The backend's deferAccept reaches the epoll listener as TCP_DEFER_ACCEPT, and only when asked (read back from the
 * kernel: no timing involved). What the kernel then does with it is {@code LinuxSocketsTest}'s.
 */
@Timeout(30)
class DeferAcceptTest {
    @Test
    void theEpollListenerGetsTcpDeferAcceptExactlyWhenAsked() throws Exception {
        assumeTrue(EpollTransport.isAvailable(), "epoll needs Linux");
        NioBackend backend = new NioBackend(new BackendConfig(1, 1, 1, "pxj-defer-"), EpollTransport.INSTANCE);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (LinuxSockets calls = new LinuxSockets()) {
            Listener deferred = backend.listen(loopback, 16, false, 1, true, () -> null);
            Listener plain = backend.listen(loopback, 16, false, 1, false, () -> null);
            Listener viaOldSignature = backend.listen(loopback, 16, false, 1, () -> null);
            try {
                assertTrue(calls.deferAccept(fd(deferred)) > 0, "TCP_DEFER_ACCEPT set");
                assertEquals(0, calls.deferAccept(fd(plain)));
                assertEquals(0, calls.deferAccept(fd(viaOldSignature)));
            } finally {
                deferred.close();
                plain.close();
                viaOldSignature.close();
            }
        } finally {
            backend.close(Duration.ofSeconds(5));
        }
    }

    private static int fd(Listener l) {
        return ((EpollTransport.EpollListener) l).fd;
    }
}

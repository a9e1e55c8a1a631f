package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * TCP_NODELAY is set lazily: not for a socket's first write when it fits one segment (a one-response connection
 * never pays the setsockopt), before any later write, and before a first write too large for one segment.
 */
@Timeout(20)
class LazyNoDelayTest {
    Px px;

    @AfterEach
    void stop() {
        if (px != null) { assertTrue(px.close(Duration.ofSeconds(5))); }
    }

    /** Answers each read with {@code responseBytes} bytes; records TCP_NODELAY as the socket has it per read. */
    final class Responder implements Protocol {
        final List<Boolean> noDelayAtRead = new CopyOnWriteArrayList<>();
        final int responseBytes;
        final ProtocolOptions options;

        Responder(int responseBytes, ProtocolOptions options) {
            this.responseBytes = responseBytes;
            this.options = options;
        }

        @Override
        public ProtocolOptions options() {
            return options;
        }

        @Override
        public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
            data.position(data.limit());
            noDelayAtRead.add(noDelayOf(t.remoteAddress()));
            return new byte[responseBytes];
        }
    }

    /** On the loop thread: TCP_NODELAY of this loop's channel to {@code remote}. */
    static boolean noDelayOf(InetSocketAddress remote) {
        EventLoop loop = ((EventLoop.LoopThread) Thread.currentThread()).loop;
        for (NioChannel c : loop.channels) {
            if (c.remoteAddress().equals(remote)) {
                try {
                    return c.sock.noDelay();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no channel to " + remote);
    }

    private List<Boolean> exchange(String backend, Responder r, int requests) throws Exception {
        px = Px.builder().backend(backend).threads(1).build();
        Server s = px.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> r);
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
            c.setSoTimeout(5000);
            InputStream in = c.getInputStream();
            for (int i = 0; i < requests; i++) {
                c.getOutputStream().write('x');
                assertEquals(r.responseBytes, in.readNBytes(r.responseBytes).length, "response " + i);
            }
        }
        return r.noDelayAtRead;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void setBeforeTheSecondWriteNotForAFirstSmallOne(String backend) throws Exception {
        // read 1: nothing written yet; read 2: one small write done, no NODELAY; read 3: set before write 2
        assertEquals(List.of(false, false, true, true), exchange(backend, new Responder(100, ProtocolOptions.DEFAULT), 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void setBeforeAFirstWriteTooLargeForOneSegment(String backend) throws Exception {
        assertEquals(List.of(false, true), exchange(backend, new Responder(64 * 1024, ProtocolOptions.DEFAULT), 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void neverSetWhenTheProtocolTurnsItOff(String backend) throws Exception {
        ProtocolOptions off = ProtocolOptions.builder().tcpNoDelay(false).build();
        assertEquals(List.of(false, false, false), exchange(backend, new Responder(100, off), 3));
    }
}

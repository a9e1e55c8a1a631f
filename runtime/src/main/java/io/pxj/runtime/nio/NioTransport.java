package io.pxj.runtime.nio;

import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The socket layer under the nio backend's loops: {@link JdkTransport} (the JDK's selector and channels, every
 * platform) or {@link EpollTransport} (epoll and raw descriptors through JNA, Linux). The loops, channels and
 * listeners above it are the same for both.
 *
 * <p>Threading: stateless; each method documents the thread it runs on.
 */
abstract class NioTransport {
    /** The backend name it gives ({@code -Dpxj.backend}). */
    abstract String name();

    /** A poller for {@code loop}; on the thread creating the backend. */
    abstract Poller newPoller(EventLoop loop) throws IOException;

    /**
     * A bound, listening socket for {@code loop}, not yet registered; on the caller's thread. {@code deferAccept}:
     * clients send first, connections may be handed over only once data has arrived (where the transport can).
     */
    abstract NioListener listen(EventLoop loop, InetSocketAddress address, int backlog, boolean ipv6Only,
                                boolean deferAccept, Acceptor acceptor) throws IOException;

    /**
     * Starts a connect on {@code loop} (on that loop): when it completes, {@link NioBackend#connected}; when it
     * fails, {@link ConnectionHandler#connectFailed}.
     */
    abstract void connect(EventLoop loop, InetSocketAddress remote, ConnectionHandler handler);
}

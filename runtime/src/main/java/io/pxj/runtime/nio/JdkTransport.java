package io.pxj.runtime.nio;

import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.ConnectionHandler;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The portable transport: the JDK's {@link java.nio.channels.Selector} and socket channels. Stateless. */
final class JdkTransport extends NioTransport {
    private static final Logger LOG = LoggerFactory.getLogger(JdkTransport.class);
    static final JdkTransport INSTANCE = new JdkTransport();

    private JdkTransport() {
    }

    @Override
    String name() {
        return "nio";
    }

    @Override
    Poller newPoller(EventLoop loop) throws IOException {
        return new JdkPoller(loop);
    }

    @Override
    NioListener listen(EventLoop loop, InetSocketAddress address, int backlog, boolean ipv6Only, boolean deferAccept,
                       Acceptor acceptor) throws IOException {
        // deferAccept is ignored: java.nio has no TCP_DEFER_ACCEPT (and its channels expose no descriptor to set it).
        boolean v6 = address.getAddress() instanceof Inet6Address;
        // An IPv4 address other than the wildcard only ever sees IPv4 peers: an AF_INET socket spares the kernel
        // the IPv6 socket state of a v4-mapped connection on every accept. The wildcard stays dual-stack.
        ServerSocketChannel ssc = v6 ? ServerSocketChannel.open(StandardProtocolFamily.INET6)
                : address.getAddress().isAnyLocalAddress() ? ServerSocketChannel.open()
                : ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            ssc.configureBlocking(false);
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ssc.bind(address, backlog);
            // java.nio cannot set IPV6_V6ONLY: an IPv6-only wildcard listener refuses IPv4 peers at accept.
            return new JdkListener(loop, ssc, acceptor, v6 && ipv6Only && address.getAddress().isAnyLocalAddress());
        } catch (IOException | RuntimeException e) {
            ssc.close();
            throw e;
        }
    }

    /** A listener on a {@link ServerSocketChannel}. */
    static final class JdkListener extends NioListener {
        private final ServerSocketChannel ssc;
        private SelectionKey key;

        JdkListener(EventLoop loop, ServerSocketChannel ssc, Acceptor acceptor, boolean refuseV4) throws IOException {
            super(loop, acceptor, refuseV4, (InetSocketAddress) ssc.getLocalAddress());
            this.ssc = ssc;
        }

        @Override
        void register() throws IOException {
            key = ssc.register(((JdkPoller) loop.poller).selector, SelectionKey.OP_ACCEPT, this);
        }

        @Override
        Sock acceptOne() throws IOException {
            SocketChannel sc = ssc.accept();
            return sc == null ? null : new JdkSock(sc);
        }

        @Override
        void closeSocket() throws IOException {
            if (key != null) { key.cancel(); }
            ssc.close();
        }

        @Override
        boolean socketOpen() {
            return ssc.isOpen();
        }
    }

    @Override
    void connect(EventLoop loop, InetSocketAddress remote, ConnectionHandler handler) {
        SocketChannel sc = null;
        try {
            if (remote.isUnresolved()) { throw new IOException("unresolved address " + remote); }
            sc = SocketChannel.open(remote.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            sc.configureBlocking(false);
            if (sc.connect(remote)) {
                loop.backend.connected(loop, new JdkSock(sc), handler);
            } else {
                Connecting pending = new Connecting(loop, sc, handler);
                pending.key = sc.register(((JdkPoller) loop.poller).selector, SelectionKey.OP_CONNECT, pending);
                loop.connects.add(pending);
            }
        } catch (IOException | RuntimeException e) {
            if (sc != null) { JdkSock.closeQuietly(sc); }
            handler.connectFailed(e);
        }
    }

    /** A connect in progress: the key's attachment until OP_CONNECT fires. Loop thread. */
    static final class Connecting implements EventLoop.PendingConnect {
        final EventLoop loop;
        final SocketChannel sc;
        final ConnectionHandler handler;
        SelectionKey key;

        Connecting(EventLoop loop, SocketChannel sc, ConnectionHandler handler) {
            this.loop = loop;
            this.sc = sc;
            this.handler = handler;
        }

        void onConnectable() {
            try {
                if (!sc.finishConnect()) { return; }
                loop.connects.remove(this);
                loop.backend.connected(loop, new JdkSock(sc, key), handler);
            } catch (IOException | RuntimeException e) {
                abandon(e);
            }
        }

        @Override
        public void abandon(Exception cause) {
            loop.connects.remove(this);
            key.cancel();
            JdkSock.closeQuietly(sc);
            LOG.debug("connect failed: {}", cause.toString());
            handler.connectFailed(cause);
        }
    }
}

package io.pxj.runtime.nio;

import io.pxj.linux.Epoll;
import io.pxj.linux.Linux;
import io.pxj.linux.LinuxSockets;
import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux transport: epoll and raw non-blocking descriptors through the {@code io.pxj.linux} bindings. Per
 * accepted connection it costs {@code accept4} (the peer address comes with it), the request's {@code read}, the
 * response's {@code write} and {@code close}: no {@code fcntl} (the socket is born non-blocking), no
 * {@code getsockname} unless the listener is bound to a wildcard address, and no per-connection channel objects of
 * the JDK. Everything above the socket calls (loops, channels, listeners, the first-read probe) is the nio
 * backend's.
 *
 * <p>Threading: stateless; listeners and sockets are confined to their loops.
 */
final class EpollTransport extends NioTransport {
    private static final Logger LOG = LoggerFactory.getLogger(EpollTransport.class);
    static final EpollTransport INSTANCE = new EpollTransport();

    private EpollTransport() {
    }

    static boolean isAvailable() {
        return Linux.isAvailable();
    }

    static String unavailabilityCause() {
        Throwable t = Linux.unavailabilityCause();
        return t == null ? null : t.toString();
    }

    @Override
    String name() {
        return "epoll";
    }

    @Override
    Poller newPoller(EventLoop loop) throws IOException {
        return new EpollPoller(loop);
    }

    @Override
    NioListener listen(EventLoop loop, InetSocketAddress address, int backlog, boolean ipv6Only, boolean deferAccept,
                       Acceptor acceptor) throws IOException {
        if (address.isUnresolved()) { throw new IOException("unresolved address " + address); }
        // The caller's thread may not touch the loop's scratch memory: set-up uses its own, briefly.
        try (LinuxSockets calls = new LinuxSockets()) {
            int fd = calls.listen(address, backlog, ipv6Only);
            try {
                if (deferAccept) {
                    // 1 s, as nginx's "deferred": the kernel's shortest SYN-ACK retransmission step, so a silent
                    // client is still accepted about a second later and meets the protocol's own timeouts.
                    calls.setDeferAccept(fd, 1);
                }
                return new EpollListener(loop, fd, acceptor, calls.localAddress(fd),
                        address.getAddress().isAnyLocalAddress());
            } catch (IOException | RuntimeException e) {
                calls.close(fd);
                throw e;
            }
        }
    }

    /** A listener on a raw descriptor. */
    static final class EpollListener extends NioListener {
        final int fd; // package-private: tests read its options back
        private final boolean wildcard;
        private long token;
        private volatile boolean open = true;

        EpollListener(EventLoop loop, int fd, Acceptor acceptor, InetSocketAddress bound, boolean wildcard) {
            super(loop, acceptor, false, bound); // IPV6_V6ONLY is set natively: no IPv4 peer to refuse
            this.fd = fd;
            this.wildcard = wildcard;
        }

        private EpollPoller poller() {
            return (EpollPoller) loop.poller;
        }

        @Override
        void register() throws IOException {
            token = poller().register(this);
            poller().epoll.add(fd, Epoll.IN, token);
        }

        @Override
        Sock acceptOne() throws IOException {
            LinuxSockets calls = poller().sockets;
            int c = calls.accept(fd);
            if (c < 0) { return null; }
            InetSocketAddress remote = calls.acceptedPeer();
            InetSocketAddress local;
            try {
                // A listener on one address hands every connection that address; only a wildcard asks the kernel.
                local = wildcard ? calls.localAddress(c) : localAddress();
            } catch (IOException e) {
                calls.close(c);
                throw e;
            }
            return new EpollSock(c, local, remote, null);
        }

        @Override
        void closeSocket() throws IOException {
            if (!open) { return; }
            open = false;
            if (token != 0) { poller().release(token); }
            poller().sockets.close(fd);
        }

        @Override
        boolean socketOpen() {
            return open;
        }
    }

    @Override
    void connect(EventLoop loop, InetSocketAddress remote, ConnectionHandler handler) {
        EpollPoller p = (EpollPoller) loop.poller;
        int fd = -1;
        try {
            if (remote.isUnresolved()) { throw new IOException("unresolved address " + remote); }
            fd = p.sockets.socketFor(remote);
            if (p.sockets.connect(fd, remote)) {
                loop.backend.connected(loop, new EpollSock(fd, p.sockets.localAddress(fd), remote, p), handler);
            } else {
                Connecting pending = new Connecting(loop, p, fd, remote, handler);
                pending.token = p.register(pending);
                try {
                    p.epoll.add(fd, Epoll.OUT, pending.token);
                } catch (IOException e) {
                    p.release(pending.token);
                    throw e;
                }
                loop.connects.add(pending);
            }
        } catch (IOException | RuntimeException e) {
            if (fd >= 0) { closeQuietly(p, fd); }
            handler.connectFailed(e);
        }
    }

    private static void closeQuietly(EpollPoller p, int fd) {
        try {
            p.sockets.close(fd);
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    /** A connect in progress: registered for OUT until the kernel reports its outcome. Loop thread. */
    static final class Connecting implements EventLoop.PendingConnect {
        final EventLoop loop;
        final EpollPoller poller;
        final int fd;
        final InetSocketAddress remote;
        final ConnectionHandler handler;
        long token;

        Connecting(EventLoop loop, EpollPoller poller, int fd, InetSocketAddress remote, ConnectionHandler handler) {
            this.loop = loop;
            this.poller = poller;
            this.fd = fd;
            this.remote = remote;
            this.handler = handler;
        }

        void onConnectable() {
            loop.connects.remove(this);
            poller.release(token);
            try {
                poller.epoll.remove(fd); // the channel registers again when it first waits
                poller.sockets.finishConnect(fd, remote);
                loop.backend.connected(loop, new EpollSock(fd, poller.sockets.localAddress(fd), remote, poller),
                        handler);
            } catch (IOException | RuntimeException e) {
                closeQuietly(poller, fd);
                handler.connectFailed(e);
            }
        }

        @Override
        public void abandon(Exception cause) {
            loop.connects.remove(this);
            poller.release(token);
            closeQuietly(poller, fd); // also leaves epoll
            handler.connectFailed(cause);
        }
    }
}

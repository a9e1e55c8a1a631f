package io.pxj.runtime.nio;

import io.pxj.linux.Epoll;
import io.pxj.linux.LinuxSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoll transport's poller: one {@link Epoll} instance, the loop's {@link LinuxSockets} (socket calls with
 * their scratch memory) and the {@link TokenRegistry} that maps each registration's token to its channel,
 * listener or connect.
 *
 * <p>Threading: confined to the owning loop thread, except {@link #wakeup()}.
 */
final class EpollPoller extends Poller {
    private static final Logger LOG = LoggerFactory.getLogger(EpollPoller.class);
    private static final int MAX_EVENTS = 512;
    /** Bytes a heap buffer's read or write goes through (direct buffers are used in place). */
    private static final int BOUNCE = 64 * 1024;

    private final EventLoop loop;
    final Epoll epoll;
    final LinuxSockets sockets;
    private final TokenRegistry registry = new TokenRegistry();
    private ByteBuffer bounce;

    EpollPoller(EventLoop loop) throws IOException {
        this.loop = loop;
        this.epoll = Epoll.open(MAX_EVENTS);
        this.sockets = new LinuxSockets();
    }

    /** A direct buffer for copying heap buffers through; loop-confined, allocated at first use. */
    ByteBuffer bounce() {
        if (bounce == null) { bounce = ByteBuffer.allocateDirect(BOUNCE); }
        return bounce.clear();
    }

    /** A token for {@code attachment}, valid until {@link #release}. */
    long register(Object attachment) {
        return registry.register(attachment);
    }

    /** Forgets a token: later events carrying it are dropped. */
    void release(long token) {
        registry.release(token);
    }

    @Override
    void poll(long timeoutMillis) throws IOException {
        int n = epoll.await(timeoutMillis < 0 ? -1 : (int) Math.min(timeoutMillis, Integer.MAX_VALUE));
        for (int i = 0; i < n; i++) {
            Object a = registry.lookup(epoll.data(i));
            if (a == null) { continue; } // closed since the kernel queued the event
            loop.stampWake();
            int events = epoll.events(i);
            try {
                if (a instanceof NioChannel c) { c.onReady(readyOps(events)); }
                else if (a instanceof NioListener l) { l.onAcceptable(); }
                else if (a instanceof EpollTransport.Connecting c) { c.onConnectable(); }
            } catch (Throwable t) {
                LOG.error("{}: error handling a ready socket (the loop continues)", loop.thread.getName(), t);
            }
        }
    }

    /** Epoll's events as the selector's ready set: an error or hang-up wakes both directions, as the JDK does. */
    static int readyOps(int events) {
        int ops = 0;
        if ((events & (Epoll.IN | Epoll.RDHUP)) != 0) { ops |= SelectionKey.OP_READ; }
        if ((events & Epoll.OUT) != 0) { ops |= SelectionKey.OP_WRITE; }
        if ((events & (Epoll.ERR | Epoll.HUP)) != 0) { ops |= SelectionKey.OP_READ | SelectionKey.OP_WRITE; }
        return ops;
    }

    @Override
    void wakeup() {
        epoll.wakeup();
    }

    @Override
    void close() {
        epoll.close();
        sockets.close();
    }
}

package io.pxj.runtime.nio;

import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.Listener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket registered with one loop; accepted sockets are handed to the loops round-robin, and the
 * {@link Acceptor} is asked for the handler on the loop that will own the connection. The transport supplies the
 * socket calls ({@link JdkTransport}, {@link EpollTransport}).
 *
 * <p>Threading: {@link #onAcceptable}, {@link #register} and {@link #closeNow} on the owning loop; {@link #close}
 * and the getters from any thread.
 */
abstract class NioListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(NioListener.class);
    private static final int ACCEPTS_PER_EVENT = 64;

    final EventLoop loop;
    private final Acceptor acceptor;
    private final boolean refuseV4;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder v4Refused = new LongAdder();

    /**
     * @param refuseV4 close IPv4 peers at once (an IPv6-only wildcard listener the transport had to bind
     *                 dual-stack)
     */
    NioListener(EventLoop loop, Acceptor acceptor, boolean refuseV4, InetSocketAddress localAddress) {
        this.loop = loop;
        this.acceptor = acceptor;
        this.refuseV4 = refuseV4;
        this.localAddress = localAddress;
    }

    /** Joins the loop's poller; on the loop. */
    abstract void register() throws IOException;

    /** Accepts one pending connection; null when none is pending. On the loop. */
    abstract Sock acceptOne() throws IOException;

    /** Leaves the poller and closes the listening socket. On the loop. */
    abstract void closeSocket() throws IOException;

    /** Whether the listening socket is still open (thread-safe). */
    abstract boolean socketOpen();

    void onAcceptable() {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            Sock s;
            try {
                s = acceptOne();
            } catch (IOException e) {
                // EMFILE and friends: log and let the next poll retry rather than spin here.
                LOG.warn("accept failed on {}: {}", localAddress, e.toString());
                return;
            }
            if (s == null) { return; }
            try {
                if (refuseV4 && s.remoteAddress().getAddress() instanceof Inet4Address) {
                    v4Refused.increment();
                    s.close(loop);
                    continue;
                }
            } catch (IOException e) {
                s.close(loop);
                continue;
            }
            accepted.increment();
            EventLoop target = loop.backend.nextLoop();
            if (target == loop) { target.backend.register(target, s, acceptor, refused); }
            else { target.execute(() -> target.backend.register(target, s, acceptor, refused)); }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (closed.get()) { return; }
        if (loop.inLoop()) { closeNow(); }
        else { loop.execute(this::closeNow); }
        // Make the port free before returning when we can wait for it (not on the loop itself).
        if (!loop.backend.inPoolThread()) { // never block a loop thread
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (socketOpen() && System.nanoTime() < deadline && loop.thread.isAlive()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
        // A loop that has stopped runs no more tasks: nothing else will ever close the socket and free the port.
        if (!loop.thread.isAlive()) { closeNow(); }
    }

    void closeNow() {
        if (!closed.compareAndSet(false, true)) { return; }
        loop.listeners.remove(this);
        try {
            closeSocket();
        } catch (IOException e) {
            LOG.debug("listener close failed", e);
        }
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("accepted", accepted.sum(), "refused", refused.sum(), "v4RefusedOnV6Only", v4Refused.sum());
    }
}

package io.pxj.runtime.nio;

import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.Listener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket registered with one loop; accepted sockets are handed to the loops round-robin, and the
 * {@link Acceptor} is asked for the handler on the loop that will own the connection.
 *
 * <p>Threading: {@link #onAcceptable} and {@link #closeNow} on the owning loop; {@link #close} and the getters
 * from any thread.
 */
final class NioListener implements Listener {
    private static final Logger LOG = LoggerFactory.getLogger(NioListener.class);
    private static final int ACCEPTS_PER_EVENT = 64;

    private final EventLoop loop;
    private final ServerSocketChannel ssc;
    private final Acceptor acceptor;
    private final boolean refuseV4;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder v4Refused = new LongAdder();
    SelectionKey key;

    NioListener(EventLoop loop, ServerSocketChannel ssc, Acceptor acceptor, boolean refuseV4) throws IOException {
        this.loop = loop;
        this.ssc = ssc;
        this.acceptor = acceptor;
        this.refuseV4 = refuseV4;
        this.localAddress = (InetSocketAddress) ssc.getLocalAddress();
    }

    void onAcceptable() {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel sc;
            try {
                sc = ssc.accept();
            } catch (IOException e) {
                // EMFILE and friends: log and let the next select retry rather than spin here.
                LOG.warn("accept failed on {}: {}", localAddress, e.toString());
                return;
            }
            if (sc == null) { return; }
            try {
                if (refuseV4 && ((InetSocketAddress) sc.getRemoteAddress()).getAddress() instanceof Inet4Address) {
                    v4Refused.increment();
                    sc.close();
                    continue;
                }
            } catch (IOException e) {
                closeQuietly(sc);
                continue;
            }
            accepted.increment();
            EventLoop target = loop.backend.nextLoop();
            if (target == loop) { target.backend.register(target, sc, acceptor, refused); }
            else { target.execute(() -> target.backend.register(target, sc, acceptor, refused)); }
        }
    }

    static void closeQuietly(SocketChannel sc) {
        try {
            sc.close();
        } catch (IOException e) {
            // nothing useful to do
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
            while (ssc.isOpen() && System.nanoTime() < deadline && loop.thread.isAlive()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    void closeNow() {
        if (!closed.compareAndSet(false, true)) { return; }
        loop.listeners.remove(this);
        if (key != null) { key.cancel(); }
        try {
            ssc.close();
        } catch (IOException e) {
            LOG.debug("listener close failed", e);
        }
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("accepted", accepted.sum(), "refused", refused.sum(), "v4RefusedOnV6Only", v4Refused.sum());
    }
}

package io.pxj.runtime.internal;

import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolFactory;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Server;
import io.pxj.runtime.ServerOptions;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.Listener;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listening {@link Server} and the core's {@code Acceptor} for it: applies the connection limit and the memory
 * soft limit, creates one protocol per connection, and fires {@code serverStopped} once the listener is closed
 * and the last connection is gone.
 *
 * <p>Threading: {@link #accept} runs on any backend thread, concurrently; the rest is thread-safe. The limit is
 * checked against the number of open connections, so concurrent accepts on different threads may overshoot it
 * by at most the number of accepting threads.
 */
final class ServerImpl implements Server {
    private final PxCore core;
    final ProtocolFactory factory;
    private final ServerOptions options;
    private volatile Listener listener;
    private volatile InetSocketAddress localAddress;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Set on the main thread once serverStopped has run (run() waits for it). */
    volatile boolean stoppedDelivered;

    ServerImpl(PxCore core, ProtocolFactory factory, ServerOptions options) {
        this.core = core;
        this.factory = factory;
        this.options = options;
    }

    void listener(Listener l) {
        listener = l;
        localAddress = l.localAddress();
    }

    ConnectionHandler accept() {
        if (!listening.get()) { return null; }
        int max = options.maxConnections();
        if ((max > 0 && active.get() >= max) || (options.refuseUnderMemoryPressure() && core.underMemoryPressure())) {
            refused.incrementAndGet();
            core.connectionsRefused.increment();
            return null;
        }
        Protocol p;
        ProtocolOptions o;
        try {
            p = factory.newProtocol();
            if (p == null) { throw new NullPointerException("ProtocolFactory.newProtocol() returned null"); }
            o = Connection.optionsOf(p);
        } catch (Throwable t) {
            core.errors.increment();
            core.report("server " + localAddress + ": ProtocolFactory.newProtocol/options failed; connection refused",
                    t);
            refused.incrementAndGet();
            core.connectionsRefused.increment();
            return null;
        }
        return core.withTls(new Connection(core, p, o, this, null, null), o, null);
    }

    /** Called by a connection when it opens (on its event thread). */
    void connectionOpened() {
        active.incrementAndGet();
        accepted.incrementAndGet();
    }

    void connectionClosed() {
        if (active.decrementAndGet() == 0 && closed.get()) { fireStopped(); }
    }

    private void fireStopped() {
        if (stopped.compareAndSet(false, true)) { core.serverStopped(this); }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int activeConnections() {
        return active.get();
    }

    @Override
    public long acceptedConnections() {
        return accepted.get();
    }

    @Override
    public long refusedConnections() {
        return refused.get();
    }

    /** Stops accepting without touching the connections (first step of Px.close). */
    void stopListening() {
        if (listening.compareAndSet(true, false)) {
            Listener l = listener;
            if (l != null) { l.close(); }
        }
    }

    @Override
    public void stopAccepting() {
        stopListening();
    }

    @Override
    public void close() {
        stopListening();
        if (!closed.compareAndSet(false, true)) { return; }
        for (Connection c : core.connections) { if (c.server == this) { c.close(); } }
        if (active.get() == 0) { fireStopped(); }
    }

    @Override
    public String toString() {
        return "Server[" + localAddress + ", active=" + active.get() + "]";
    }
}

package io.pxj.runtime.nio;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendEvent;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.Listener;
import io.pxj.runtime.spi.MainQueue;
import io.pxj.runtime.spi.WaitTask;
import io.pxj.runtime.spi.support.ParkingMainQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nio {@link Backend}: {@code config.threads()} event loops ({@link EventLoop}); see the package Javadoc for
 * the model and the {@link io.pxj.runtime.IoMode} mapping.
 *
 * <p>Threading: every public method is thread-safe. Loop-owned work ({@link #register}, connects) runs on the
 * owning loop.
 */
public final class NioBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(NioBackend.class);

    private final EventLoop[] loops;
    private final ParkingMainQueue mainQueue = new ParkingMainQueue();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong channelIds = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Boolean> closed = new CompletableFuture<>();
    private final LongAdder registered = new LongAdder();
    private final LongAdder closedChannels = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder refused = new LongAdder();

    public NioBackend(BackendConfig config) {
        loops = new EventLoop[config.threads()];
        try {
            for (int i = 0; i < loops.length; i++) { loops[i] = new EventLoop(this, i, config.threadNamePrefix() + i); }
        } catch (IOException e) {
            for (EventLoop l : loops) {
                if (l != null) {
                    try {
                        l.selector.close();
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
            throw new UncheckedIOException("cannot open a selector", e);
        }
        for (EventLoop l : loops) { l.thread.start(); }
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int threadCount() {
        int n = 0;
        for (EventLoop l : loops) { if (l.thread.isAlive()) { n++; } }
        return n;
    }

    @Override
    public boolean inPoolThread() {
        return Thread.currentThread() instanceof EventLoop.LoopThread t && t.loop.backend == this;
    }

    @Override
    public MainQueue mainQueue() {
        return mainQueue;
    }

    EventLoop nextLoop() {
        return loops[Integer.remainderUnsigned(next.getAndIncrement(), loops.length)];
    }

    private void checkOpen() {
        if (closing.get()) { throw new IllegalStateException("nio backend is closed"); }
    }

    @Override
    public void execute(Runnable task) {
        checkOpen();
        nextLoop().execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos, long periodNanos) {
        checkOpen();
        return nextLoop().schedule(task, delayNanos, periodNanos);
    }

    @Override
    public BackendEvent newEvent() {
        return new NioEvent(this);
    }

    @Override
    public Cancellable waitFor(BackendEvent event, long timeoutNanos, WaitTask task) {
        if (!(event instanceof NioEvent e)) { throw new IllegalArgumentException("not an nio event: " + event); }
        checkOpen();
        return e.waitFor(timeoutNanos, task);
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, boolean ipv6Only, int acceptsPosted,
                           Acceptor acceptor) throws IOException {
        checkOpen();
        boolean v6 = address.getAddress() instanceof Inet6Address;
        // An IPv4 address other than the wildcard only ever sees IPv4 peers: an AF_INET socket spares the kernel
        // the IPv6 socket state of a v4-mapped connection on every accept. The wildcard stays dual-stack.
        ServerSocketChannel ssc = v6 ? ServerSocketChannel.open(StandardProtocolFamily.INET6)
                : address.getAddress().isAnyLocalAddress() ? ServerSocketChannel.open()
                : ServerSocketChannel.open(StandardProtocolFamily.INET);
        NioListener l;
        EventLoop loop = nextLoop();
        try {
            ssc.configureBlocking(false);
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ssc.bind(address, backlog);
            l = new NioListener(loop, ssc, acceptor, v6 && ipv6Only && address.getAddress().isAnyLocalAddress());
        } catch (IOException | RuntimeException e) {
            ssc.close();
            throw e;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable reg = () -> {
            try {
                l.key = ssc.register(loop.selector, SelectionKey.OP_ACCEPT, l);
                loop.listeners.add(l);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        };
        if (loop.inLoop()) { reg.run(); }
        else { loop.execute(reg); }
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ssc.close();
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw c instanceof IOException io ? io : new IOException("cannot register listener " + address, c);
        }
        return l;
    }

    /** On {@code loop}: asks the acceptor for a handler and registers the accepted socket. */
    void register(EventLoop loop, SocketChannel sc, Acceptor acceptor, LongAdder listenerRefused) {
        ConnectionHandler h;
        try {
            h = closing.get() ? null : acceptor.accept();
        } catch (Throwable t) {
            LOG.error("acceptor failed; connection refused", t);
            h = null;
        }
        if (h == null) {
            refused.increment();
            listenerRefused.increment();
            NioListener.closeQuietly(sc);
            return;
        }
        NioChannel c;
        try {
            // The JDK hands out accepted sockets in blocking mode: fcntl is unavoidable here. The channel joins
            // the selector only when it first has to wait (NioChannel#updateInterest).
            sc.configureBlocking(false);
            c = new NioChannel(loop, sc, h, channelIds.incrementAndGet(), loop.firstReadProbe.shouldProbe());
        } catch (IOException | RuntimeException e) {
            // Failed before opened(): the handler hears nothing (the SPI: closed() follows opened() only).
            LOG.debug("accepted socket failed before registration: {}", e.toString());
            NioListener.closeQuietly(sc);
            return;
        }
        loop.channels.add(c);
        registered.increment();
        c.opened();
    }

    @Override
    public void connect(InetSocketAddress remote, ConnectionHandler handler) {
        checkOpen();
        connects.increment();
        EventLoop loop = nextLoop();
        loop.execute(() -> {
            SocketChannel sc = null;
            try {
                if (remote.isUnresolved()) { throw new IOException("unresolved address " + remote); }
                sc = SocketChannel.open(remote.getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                sc.configureBlocking(false);
                if (sc.connect(remote)) {
                    connected(loop, sc, handler, null);
                } else {
                    Connecting pending = new Connecting(loop, sc, handler);
                    pending.key = sc.register(loop.selector, SelectionKey.OP_CONNECT, pending);
                }
            } catch (IOException | RuntimeException e) {
                if (sc != null) { NioListener.closeQuietly(sc); }
                handler.connectFailed(e);
            }
        });
    }

    /** A connect in progress: the key's attachment until OP_CONNECT fires. */
    final class Connecting {
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
                connected(loop, sc, handler, key);
            } catch (IOException | RuntimeException e) {
                key.cancel();
                NioListener.closeQuietly(sc);
                handler.connectFailed(e);
            }
        }
    }

    private void connected(EventLoop loop, SocketChannel sc, ConnectionHandler handler, SelectionKey key)
            throws IOException {
        NioChannel c = new NioChannel(loop, sc, handler, channelIds.incrementAndGet(), false);
        if (key != null) {
            key.interestOps(0);
            key.attach(c);
            c.key = key;
        }
        loop.channels.add(c);
        registered.increment();
        c.opened();
    }

    void channelClosed() {
        closedChannels.increment();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("loops", (long) loops.length);
        m.put("channelsRegistered", registered.sum());
        m.put("channelsClosed", closedChannels.sum());
        m.put("connects", connects.sum());
        m.put("acceptsRefused", refused.sum());
        return m;
    }

    @Override
    public boolean close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            try {
                return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                return false;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (EventLoop l : loops) { l.stop(); } // each aborts its channels (handlers hear closed) and closes listeners
        boolean ok = true;
        for (EventLoop l : loops) {
            if (l.thread == Thread.currentThread()) {
                ok = false; // cannot join ourselves; the loop ends when this task returns
                continue;
            }
            try {
                long left = deadline - System.nanoTime();
                l.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
            if (l.thread.isAlive()) {
                LOG.warn("{} did not stop within {}", l.thread.getName(), timeout);
                ok = false;
            }
        }
        closed.complete(ok);
        return ok;
    }
}

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
import java.net.InetSocketAddress;
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

    final NioTransport transport;
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
        this(config, JdkTransport.INSTANCE);
    }

    NioBackend(BackendConfig config, NioTransport transport) {
        this.transport = transport;
        loops = new EventLoop[config.threads()];
        try {
            for (int i = 0; i < loops.length; i++) { loops[i] = new EventLoop(this, i, config.threadNamePrefix() + i); }
        } catch (IOException e) {
            for (EventLoop l : loops) {
                if (l != null) { l.poller.close(); }
            }
            throw new UncheckedIOException("cannot open a " + transport.name() + " poller", e);
        }
        for (EventLoop l : loops) { l.thread.start(); }
    }

    @Override
    public String name() {
        return transport.name();
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
        if (closing.get()) { throw new IllegalStateException(transport.name() + " backend is closed"); }
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
        if (!(event instanceof NioEvent e)) {
            throw new IllegalArgumentException("not an " + transport.name() + " event: " + event);
        }
        checkOpen();
        return e.waitFor(timeoutNanos, task);
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, boolean ipv6Only, int acceptsPosted,
                           Acceptor acceptor) throws IOException {
        return listen(address, backlog, ipv6Only, acceptsPosted, false, acceptor);
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, boolean ipv6Only, int acceptsPosted,
                           boolean deferAccept, Acceptor acceptor) throws IOException {
        checkOpen();
        EventLoop loop = nextLoop();
        NioListener l = transport.listen(loop, address, backlog, ipv6Only, deferAccept, acceptor);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable reg = () -> {
            try {
                l.register();
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
            l.close();
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw c instanceof IOException io ? io : new IOException("cannot register listener " + address, c);
        }
        return l;
    }

    /** On {@code loop}: asks the acceptor for a handler and opens a channel on the accepted socket. */
    void register(EventLoop loop, Sock sock, Acceptor acceptor, LongAdder listenerRefused) {
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
            sock.close(loop);
            return;
        }
        NioChannel c;
        try {
            sock.prepare(loop);
            // The channel joins the poller only when it first has to wait (NioChannel#updateInterest).
            c = new NioChannel(loop, sock, h, channelIds.incrementAndGet(), loop.firstReadProbe.shouldProbe());
        } catch (IOException | RuntimeException e) {
            // Failed before opened(): the handler hears nothing (the SPI: closed() follows opened() only).
            LOG.debug("accepted socket failed before registration: {}", e.toString());
            sock.close(loop);
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
        loop.execute(() -> transport.connect(loop, remote, handler));
    }

    /** On {@code loop}: a connect completed; the socket is already non-blocking. */
    void connected(EventLoop loop, Sock sock, ConnectionHandler handler) throws IOException {
        NioChannel c = new NioChannel(loop, sock, handler, channelIds.incrementAndGet(), false);
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

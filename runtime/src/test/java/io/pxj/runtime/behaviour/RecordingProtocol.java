package io.pxj.runtime.behaviour;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol that records its lifecycle for assertions: subclass it and override the data callbacks. Overrides of
 * {@link #connectionMade}, {@link #connectionClosed}, {@link #exceptionCaught} and {@link #connectFailed} must call
 * super.
 */
public class RecordingProtocol implements Protocol {
    /** A call of {@link #exceptionCaught}. */
    public record Caught(String callback, Throwable cause, Thread thread) {}

    public final CompletableFuture<Transport> made = new CompletableFuture<>();
    public final CompletableFuture<Throwable> connectFailure = new CompletableFuture<>();
    public final CountDownLatch closed = new CountDownLatch(1);
    public final AtomicInteger madeCount = new AtomicInteger();
    public final AtomicInteger closedCount = new AtomicInteger();
    public final List<Caught> caught = Collections.synchronizedList(new ArrayList<>());
    public final CompletableFuture<Caught> firstCaught = new CompletableFuture<>();
    /** Callback names in call order. */
    public final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** Threads the callbacks ran on. */
    public final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    /** Set by the runtime's contexts; checked to be the same context across one connection's callbacks. */
    public volatile long contextId = -1;

    protected void record(String event, ParallelContext ctx) {
        events.add(event);
        threads.add(Thread.currentThread());
    }

    @Override
    public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
        record("connectionMade", ctx);
        contextId = ctx.id();
        madeCount.incrementAndGet();
        made.complete(transport);
    }

    @Override
    public void connectionClosed(ParallelContext ctx, Transport transport) throws Exception {
        record("connectionClosed", ctx);
        closedCount.incrementAndGet();
        closed.countDown();
    }

    @Override
    public void exceptionCaught(ParallelContext ctx, Transport transport, String callback, Throwable cause) {
        record("exceptionCaught", ctx);
        Caught c = new Caught(callback, cause, Thread.currentThread());
        caught.add(c);
        firstCaught.complete(c);
    }

    @Override
    public void connectFailed(ParallelContext ctx, InetSocketAddress remote, Throwable cause) {
        record("connectFailed", ctx);
        connectFailure.complete(cause);
    }
}

package io.pxj.runtime.behaviour;

import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolFactory;
import io.pxj.runtime.Server;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A {@link ProtocolFactory} that keeps every protocol it made and records the server lifecycle events. */
public final class TrackingFactory<P extends Protocol> implements ProtocolFactory {
    private final Supplier<P> supplier;
    public final List<P> created = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Thread> started = new CompletableFuture<>();
    public final CompletableFuture<Thread> stopped = new CompletableFuture<>();

    public TrackingFactory(Supplier<P> supplier) {
        this.supplier = supplier;
    }

    public static <P extends Protocol> TrackingFactory<P> of(Supplier<P> supplier) {
        return new TrackingFactory<>(supplier);
    }

    @Override
    public Protocol newProtocol() {
        P p = supplier.get();
        created.add(p);
        return p;
    }

    @Override
    public void serverStarted(Server server) {
        started.complete(Thread.currentThread());
    }

    @Override
    public void serverStopped(Server server) {
        stopped.complete(Thread.currentThread());
    }

    /** The {@code index}-th protocol made (0-based), waiting for it up to {@code within}. */
    public P await(int index, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (created.size() <= index) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("server made only " + created.size() + " protocols within " + within
                        + "; waited for #" + index);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return created.get(index);
    }

    public P await(int index) {
        return await(index, BackendTestSupport.WAIT);
    }
}

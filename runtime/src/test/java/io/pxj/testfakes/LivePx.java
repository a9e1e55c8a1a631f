package io.pxj.testfakes;

import io.pxj.runtime.Px;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real runtime for end-to-end tests: built on its own thread, which becomes its main thread and runs
 * {@code px.run()}. A runtime that cannot be built or set up fails the test that asked for it (the exception is
 * rethrown), so an end-to-end suite never disappears from the report.
 */
public final class LivePx<T> implements AutoCloseable {
    private final Thread thread;
    private volatile Px px;
    private final T value;

    private LivePx(Px.Builder builder, Function<Px, T> setup) throws Exception {
        CompletableFuture<T> started = new CompletableFuture<>();
        thread = new Thread(() -> {
            try (Px p = builder.build()) {
                px = p;
                started.complete(setup.apply(p));
                p.run();
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "px-main");
        thread.setDaemon(true);
        thread.start();
        value = started.get(30, TimeUnit.SECONDS);
    }

    /** Builds a runtime, calls {@code setup} on its main thread, then runs it until {@link #close()}. */
    public static <T> LivePx<T> start(Function<Px, T> setup) throws Exception {
        return new LivePx<>(Px.builder(), setup);
    }

    /** As {@link #start(Function)} with a runtime made by {@code builder} (limits, threads...). */
    public static <T> LivePx<T> start(Px.Builder builder, Function<Px, T> setup) throws Exception {
        return new LivePx<>(builder, setup);
    }

    /** True once the runtime's main thread has left {@code px.run()} and closed the runtime. */
    public boolean stopped() {
        return !thread.isAlive();
    }

    /** Waits up to {@code millis} for the main thread to finish; true if it did. */
    public boolean awaitStopped(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    public T value() {
        return value;
    }

    public Px px() {
        return px;
    }

    @Override
    public void close() {
        Px p = px;
        if (p != null) p.shutdown();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.pxj.testfakes;

import io.pxj.runtime.Px;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real runtime for end-to-end tests: built on its own thread, which becomes its main thread and runs
 * {@code px.run()}. Tests using it are skipped (with the reason) while the runtime core or a backend is missing.
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

    /** Why a runtime cannot be built here, or null when it can. */
    public static String unavailableReason() {
        try {
            Px.builder().build().close();
            return null;
        } catch (Throwable e) {
            return "PxJ runtime not usable yet (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    /** Skips the calling test (class) unless a runtime can be built. */
    public static void assumeAvailable() {
        String why = unavailableReason();
        assumeTrue(why == null, why);
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

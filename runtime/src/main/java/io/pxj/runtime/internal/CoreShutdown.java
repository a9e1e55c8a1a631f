package io.pxj.runtime.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closing the runtime: stop accepting, close connections gracefully and then abort the rest, cancel timers and
 * waits and wait for callbacks already running, release the backend (joining its threads), the arenas and the
 * buffers. The first {@link #close} does the work; later calls wait for its result.
 *
 * <p>Threading: {@link #close} from any thread (from a pool thread the work moves to a helper thread, which
 * would otherwise wait for its own callback and join its own thread); the other methods from any thread.
 */
final class CoreShutdown {
    private final PxCore core;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Boolean> result = new CompletableFuture<>();

    CoreShutdown(PxCore core) {
        this.core = core;
    }

    /** True once close began. */
    boolean closing() {
        return closing.get();
    }

    /** True once close finished. */
    boolean done() {
        return result.isDone();
    }

    boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!closing.compareAndSet(false, true)) {
            return awaitClose(timeout);
        }
        core.shutdownRequested = true;
        if (core.backend.inPoolThread()) {
            Thread t = new Thread(() -> doClose(timeout), "pxj-close");
            t.setDaemon(false);
            t.start();
            return false;
        }
        return doClose(timeout);
    }

    private boolean awaitClose(Duration timeout) {
        if (core.backend.inPoolThread()) {
            return result.getNow(false);
        }
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private boolean doClose(Duration timeout) {
        boolean ok = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // 1. Stop accepting, then close every connection gracefully (pending sends finish).
            for (ServerImpl s : core.servers) {
                s.stopListening();
            }
            for (Connection c : core.connections) {
                c.close();
            }
            long graceful = System.nanoTime() + timeout.toNanos() / 2;
            ok &= core.waitUntil(core.connections::isEmpty, graceful);
            // 2. Abort what is left (a peer that does not read would hold a graceful close forever).
            for (Connection c : core.connections) {
                c.abort();
            }
            ok &= core.waitUntil(core.connections::isEmpty, deadline) || core.connections.isEmpty();
            // 3. Cancel timers and waits; wait for callbacks already running or queued.
            core.scheduler.cancelAll();
            ok &= core.waitUntil(() -> core.scheduler.callbacksInFlight() == 0, deadline);
            for (ServerImpl s : core.servers) {
                s.close();
            }
        } catch (Throwable t) {
            ok = false;
            PxCore.LOG.error("error while closing the runtime", t);
        } finally {
            // 4. Release the backend (joins its threads), then deliver what is left for the main thread.
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                ok &= core.backend.close(Duration.ofNanos(Math.max(left, TimeUnit.MILLISECONDS.toNanos(100))));
            } catch (Throwable t) {
                ok = false;
                PxCore.LOG.error("error while closing the backend", t);
            }
            if (core.isMainThread(Thread.currentThread())) {
                core.drainQuietly();
            }
            core.spares.clear();
            core.arenas.close();
            core.buffers.close();
            result.complete(ok);
        }
        return ok;
    }
}

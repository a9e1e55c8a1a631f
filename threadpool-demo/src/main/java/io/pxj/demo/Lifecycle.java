package io.pxj.demo;

import io.pxj.runtime.Px;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a server's main loop until Ctrl-C (or any JVM shutdown): a shutdown hook asks {@code px.run()} to return,
 * the main thread then closes the runtime with a timeout, and the hook waits for that (bounded) so the JVM does
 * not exit in the middle of a graceful close.
 */
public final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    /** How long close() may take before connections are aborted. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private Lifecycle() {}

    /** Main thread: {@code px.run()} until shutdown, then {@code px.close(CLOSE_TIMEOUT)}. */
    public static void runUntilShutdown(Px px, String what) {
        runUntilShutdown(px, what, () -> {});
    }

    /**
     * Main thread: {@code px.run()} until shutdown, then {@code px.close(CLOSE_TIMEOUT)}, then {@code afterClose}
     * (e.g. deleting temporary files), which also runs on Ctrl-C before the JVM exits.
     */
    public static void runUntilShutdown(Px px, String what, Runnable afterClose) {
        runUntilShutdown(px, what, () -> {}, afterClose);
    }

    /**
     * As {@link #runUntilShutdown(Px, String, Runnable)}, and on Ctrl-C / SIGTERM the shutdown hook first runs
     * {@code drain} (e.g. an HTTP server's readiness-first graceful close) while the main loop still runs.
     */
    public static void runUntilShutdown(Px px, String what, Runnable drain, Runnable afterClose) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("{}: shutdown requested, closing (up to {} s)", what, CLOSE_TIMEOUT.toSeconds());
            try {
                drain.run();
            } catch (RuntimeException e) {
                log.warn("{}: drain failed, closing anyway: {}", what, e.toString());
            }
            px.shutdown();
            try {
                if (!closed.await(CLOSE_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                    log.warn("{}: did not close within {} s; exiting anyway", what, CLOSE_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pxj-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            px.run();
        } finally {
            try {
                boolean clean = px.close(CLOSE_TIMEOUT);
                afterClose.run();
                // Logged before the hook is released: on Ctrl-C the JVM halts as soon as the hook returns.
                if (clean) { log.info("{}: stopped", what); }
                else {
                    log.warn("{}: stopped, but not everything closed within {} s", what, CLOSE_TIMEOUT.toSeconds());
                }
            } finally {
                closed.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running (Ctrl-C): it sees 'closed' and returns
            }
        }
    }
}

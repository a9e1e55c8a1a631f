package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pxj.runtime.Client;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolFactory;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the cross-backend behaviour suite. Each abstract suite extends this class and is run per backend by a
 * one-line subclass that implements {@link #backend()} (see {@code NioBehaviourTest}, {@code WindowsBehaviourTest}).
 *
 * <p>Per test: a fresh {@link Px} with {@code backend(backend()).threads(2)}. By default it is built on a dedicated
 * thread named {@code px-test-main-<backend>} that then runs {@code px.run()}: that thread is the runtime's main
 * thread ({@link #mainThread}) and the test thread talks to the runtime only through thread-safe methods (use
 * {@link #onMain} for main-thread-only calls). A test annotated {@link ManualMainLoop} instead gets a runtime
 * built on the test thread, which is then the main thread and drives {@code runOnce} itself.
 *
 * <p>Teardown closes test-side resources, shuts the runtime down, closes it with a timeout and asserts that no
 * thread whose name starts with {@value #PXJ_THREAD_PREFIX} is left (threads that existed before the test are
 * ignored, so one leak is reported once).
 *
 * <p>A runtime that cannot be built fails the test; it is never a skip.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class BackendTestSupport {
    /** Default bound for every wait on the runtime. */
    protected static final Duration WAIT = Duration.ofSeconds(15);
    /** Prefix of every thread a runtime starts. */
    protected static final String PXJ_THREAD_PREFIX = "pxj";
    protected static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    protected static final int THREADS = 2;

    /** The backend under test: "nio", "windows". */
    protected abstract String backend();

    protected Px px;
    /** The runtime's main thread: the dedicated loop thread, or the test thread under {@link ManualMainLoop}. */
    protected Thread mainThread;
    protected boolean manualMainLoop;

    private Set<Thread> threadsBefore;
    private CompletableFuture<Void> mainLoopDone;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    /** Hook for suites that need other runtime settings; called on the builder after backend and threads. */
    protected Px.Builder configure(Px.Builder builder) {
        return builder;
    }

    private Px newRuntime() {
        return configure(Px.builder().backend(backend()).threads(THREADS).shutdownTimeout(Duration.ofSeconds(5)))
                .build();
    }

    @BeforeEach
    final void startRuntime(TestInfo info) throws Exception {
        threadsBefore = pxjThreads();
        manualMainLoop = info.getTestMethod().map(m -> m.isAnnotationPresent(ManualMainLoop.class)).orElse(false);
        if (manualMainLoop) {
            px = newRuntime();
            mainThread = Thread.currentThread();
            return;
        }
        CompletableFuture<Px> built = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread loop = new Thread(() -> {
            Px p;
            try {
                p = newRuntime();
            } catch (Throwable e) {
                built.completeExceptionally(e);
                done.complete(null);
                return;
            }
            built.complete(p);
            try {
                p.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "px-test-main-" + backend());
        loop.setDaemon(true);
        mainThread = loop;
        mainLoopDone = done;
        loop.start();
        try {
            px = built.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("building the " + backend() + " runtime failed", e.getCause());
        }
    }

    @AfterEach
    final void stopRuntime() throws Exception {
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception ignored) {
                // test-side resources only
            }
        }
        if (px == null) return;
        try {
            if (!manualMainLoop) {
                px.shutdown();
                try {
                    mainLoopDone.get(20, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("px.run() on " + mainThread.getName() + " did not return within 20 s of px.shutdown(); "
                            + "main thread stack: " + stack(mainThread));
                } catch (ExecutionException e) {
                    throw new AssertionError("px.run() threw", e.getCause());
                }
            }
            assertTrue(px.close(Duration.ofSeconds(10)), "px.close(10 s) must report that everything stopped");
        } finally {
            px = null;
        }
        List<Thread> leaked = awaitNoNewPxjThreads(Duration.ofSeconds(5));
        assertTrue(leaked.isEmpty(), () -> "pxj threads still alive 5 s after px.close(): " + describe(leaked));
    }

    // ---------------------------------------------------------------------------------------------- threads

    /** Live threads whose name starts with {@value #PXJ_THREAD_PREFIX}. */
    protected static Set<Thread> pxjThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(PXJ_THREAD_PREFIX))
                .collect(Collectors.toSet());
    }

    /** Polls until every pxj thread started during this test is gone; returns the survivors. */
    protected List<Thread> awaitNoNewPxjThreads(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Thread> left = pxjThreads().stream().filter(t -> !threadsBefore.contains(t)).toList();
            if (left.isEmpty() || System.nanoTime() > deadline) return left;
            sleepQuietly(20);
        }
    }

    protected static String describe(List<Thread> threads) {
        return threads.stream().map(t -> t.getName() + " " + t.getState() + stack(t))
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) sb.append("\n      at ").append(e);
        return sb.toString();
    }

    protected static boolean isPoolThread(Thread t) {
        return t.getName().startsWith(PXJ_THREAD_PREFIX);
    }

    // ---------------------------------------------------------------------------------------------- main thread

    /** Runs {@code task} on the main thread (directly if already there) and returns its result. */
    protected <T> T onMain(Callable<T> task) throws Exception {
        if (Thread.currentThread() == mainThread) return task.call();
        return px.callFromMainThreadAndWait(task, WAIT);
    }

    /** {@link ManualMainLoop} tests: runs {@code px.runOnce} until {@code condition} holds (bounded by {@link #WAIT}). */
    protected void pumpUntil(BooleanSupplier condition, String what) {
        assertTrue(manualMainLoop && Thread.currentThread() == mainThread,
                "pumpUntil is for @ManualMainLoop tests on the test (main) thread");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + WAIT + " pumping runOnce waiting for " + what);
            px.runOnce(Duration.ofMillis(20));
        }
    }

    // ---------------------------------------------------------------------------------------------- waiting

    protected static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                () -> "timed out after " + WAIT + " waiting for " + what + " (count still " + latch.getCount() + ")");
    }

    /** The stage's value; fails the test if it fails or does not complete within {@link #WAIT}. */
    protected static <T> T await(CompletionStage<T> stage, String what) throws InterruptedException {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        }
    }

    /** The stage's failure (unwrapped); fails the test if it succeeds or does not complete within {@link #WAIT}. */
    protected static Throwable awaitFailure(CompletionStage<?> stage, String what) throws InterruptedException {
        try {
            Object v = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError(what + " should have failed but completed with " + v);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + WAIT + " waiting for " + what + " to fail");
        } catch (ExecutionException e) {
            return unwrap(e.getCause());
        }
    }

    protected static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null)
            t = t.getCause();
        return t;
    }

    /** True if {@code expected} is {@code t} or in its cause chain. */
    protected static boolean causedBy(Throwable t, Throwable expected) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c == expected) return true;
        return false;
    }

    /** Bounded polling: waits until {@code condition} holds, failing after {@code within}. */
    protected static void eventually(Duration within, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("condition not reached within " + within + ": " + what);
            sleepQuietly(5);
        }
    }

    protected static void eventually(BooleanSupplier condition, String what) {
        eventually(WAIT, condition, what);
    }

    /** Asserts that {@code condition} holds throughout {@code period} (observing an absence needs some time). */
    protected static void stays(Duration period, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + period.toNanos();
        do {
            assertTrue(condition.getAsBoolean(), () -> "expected to hold for " + period + " but broke: " + what);
            sleepQuietly(5);
        } while (System.nanoTime() < end);
        assertTrue(condition.getAsBoolean(), () -> "expected to hold for " + period + " but broke: " + what);
    }

    protected static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted (test timeout?)", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- servers & clients

    protected static InetSocketAddress loopback0() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    protected Server server(ProtocolFactory factory) {
        return server(factory, ServerOptions.DEFAULT);
    }

    /**
     * Whether this run of the suite speaks TLS: {@link #server} gives every protocol a TLS option, {@link #client}
     * too, and {@link #connect} returns a TLS socket whose handshake is done.
     */
    protected boolean tls() {
        return false;
    }

    protected Server server(ProtocolFactory factory, ServerOptions options) {
        return server(loopback0(), factory, options);
    }

    protected Server server(InetSocketAddress address, ProtocolFactory factory) {
        return server(address, factory, ServerOptions.DEFAULT);
    }

    private Server server(InetSocketAddress address, ProtocolFactory factory, ServerOptions options) {
        Server s = px.server(address, tls() ? TlsTestSupport.withTls(factory, TlsTestSupport.serverConfig())
                : factory, options);
        InetSocketAddress a = s.localAddress();
        assertTrue(a != null && a.getPort() > 0, () -> "server.localAddress() should be the bound port: " + a);
        return s;
    }

    /** A blocking client socket with a read timeout of {@link #WAIT}, closed at teardown. */
    protected Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        cleanup.push(s);
        s.setSoTimeout((int) WAIT.toMillis());
        s.setTcpNoDelay(true);
        InetSocketAddress target = address.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(LOOPBACK, address.getPort()) : address;
        s.connect(target, 5000);
        if (tls()) {
            Socket t = TlsTestSupport.tlsClient(s, target);
            cleanup.push(t);
            return t;
        }
        return s;
    }

    /** A client connection made with {@code protocol} (over TLS when {@link #tls()}). */
    protected Client client(InetSocketAddress address, Protocol protocol) {
        return px.client(address, tls() ? TlsTestSupport.withTls(protocol, TlsTestSupport.clientConfig())
                : protocol);
    }

    protected Socket connect(Server server) throws IOException {
        return connect(server.localAddress());
    }

    /** Registers a test-side resource to close at teardown (before the runtime closes). */
    protected <C extends AutoCloseable> C closeLater(C c) {
        cleanup.push(c);
        return c;
    }

    /** A test-side pool of daemon threads named "test-client-N", shut down at teardown. */
    protected ExecutorService clientThreads(int n) {
        AtomicInteger seq = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "test-client-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(n, tf);
        cleanup.push(pool::shutdownNow);
        return pool;
    }

    /** Writes {@code data} on a client thread (so large echoes cannot deadlock), returning when it is written. */
    protected CompletableFuture<Void> writeAsync(Socket s, byte[] data) {
        return CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(data);
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, clientThreads(1));
    }

    protected static byte[] readExactly(Socket s, int n) throws IOException {
        byte[] b = new byte[n];
        InputStream in = s.getInputStream();
        int off = 0;
        while (off < n) {
            int r;
            try {
                r = in.read(b, off, n - off);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("read timed out after " + off + " of " + n + " bytes", e);
            }
            if (r < 0) throw new AssertionError("EOF after " + off + " of " + n + " bytes");
            off += r;
        }
        return b;
    }

    /** Reads until the peer closes; a reset after some bytes counts as the end too (returns what arrived). */
    protected static byte[] readToEof(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        while (true) {
            int r;
            try {
                r = in.read(b);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("peer did not close within " + WAIT + " (" + out.size() + " bytes read)", e);
            }
            if (r < 0) return out.toByteArray();
            out.write(b, 0, r);
        }
    }

    /**
     * Waits until the peer ends the connection: EOF or a reset. Returns "eof" or "reset". Any bytes still
     * arriving are discarded.
     */
    protected static String awaitPeerClosed(Socket s) {
        byte[] b = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read(b) < 0) return "eof";
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("peer did not close the connection within " + WAIT, e);
        } catch (IOException e) {
            return "reset";
        }
    }

    // ---------------------------------------------------------------------------------------------- data

    protected static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    protected static String sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    protected static String sha256(byte[] data, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, offset, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Index of the first differing byte, or -1; for failure messages of byte-exact comparisons. */
    protected static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return a.length == b.length ? -1 : n;
    }

    protected static void assertBytes(byte[] expected, byte[] actual, String what) {
        int d = firstDifference(expected, actual);
        assertTrue(d < 0, () -> what + ": expected " + expected.length + " bytes, got " + actual.length
                + "; first difference at byte " + d);
    }
}

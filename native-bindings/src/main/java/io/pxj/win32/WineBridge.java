package io.pxj.win32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport of the Wine bridge: a helper program ({@code pxj-wine-bridge.c}, built with mingw-w64 and run under
 * {@code wine64}) executes the Win32 calls of the facade for a JVM that is not on Windows.
 *
 * <h2>How calls cross</h2>
 * A call is one request frame and one response frame on a loopback TCP connection to the helper; the helper serves
 * each connection on a thread of its own. A Java thread outside a callback borrows an idle connection per call (a
 * blocking call such as GetQueuedCompletionStatus holds its connection, and only that one, while it blocks).
 *
 * <h2>How callbacks cross</h2>
 * Every thread-pool callback runs, in the helper, on the Wine pool thread Windows chose. That thread sends a callback
 * frame on a connection of its own (opened on its first callback; closed when the thread exits), and this class runs
 * the Java callback on a Java thread paired with it for life ({@code pxj-pool-wine-<tid>}, daemon). Until the Java
 * callback returns, the Wine thread serves the calls the paired Java thread makes, so a call made inside a callback
 * runs on the very thread that runs the callback (CloseThreadpoolIo from its own callback, CallbackMayRunLong), and
 * the Wine thread is held for exactly as long as the Java callback runs: the pool's concurrency,
 * WaitForThreadpool*Callbacks and cleanup-group teardown see what they would see on Windows.
 *
 * <h2>How memory crosses</h2>
 * Never by address: see {@link WineWinsock}. Addresses the JVM hands to the facade stay in the JVM; the helper has
 * blocks of its own, and bytes are copied in the direction of each operation.
 *
 * <h2>Failure</h2>
 * Every call waits with a bound ({@value #CALL_TIMEOUT_MS} ms for calls that do not block by design) and checks that
 * the helper still runs, so a helper that crashed or hung fails the call with an {@link IllegalStateException}
 * naming the call and what the helper last printed, never a hang. The helper exits when this JVM's end of its
 * standard input closes (the JVM exited); {@link #close()} ends it at once.
 *
 * <p>Thread-safe.
 *
 * <p>It stays one class (about 650 lines): calls, callback pairing and failure detection share the connections and
 * the helper's liveness, one wire protocol with one set of invariants.
 */
final class WineBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WineBridge.class);

    /** Bound on a call that does not block by design. */
    static final int CALL_TIMEOUT_MS = 60_000;
    /** Wait forever (liveness is still checked). */
    static final long NO_DEADLINE = -1;

    /** Request op codes: keep in sync with the enum at the top of {@code pxj-wine-bridge.c}. */
    static final class Op {
        static final int RETURN = 0, HELLO = 1, PROCESSORS = 2, CREATE_EVENT = 3, SET_EVENT = 4, RESET_EVENT = 5,
                CLOSE_HANDLE = 6, OPEN_FILE = 7, NT_TO_DOS = 8, FORMAT_MESSAGE = 9, CP_CLOSE = 10;
        static final int CP_CREATE = 20, CP_ASSOCIATE = 21, CP_POST = 22, CP_DEQUEUE = 23, CP_DEQUEUE_BATCH = 24;
        static final int TP_CREATE_POOL = 40, TP_SET_MAX = 41, TP_SET_MIN = 42, TP_CREATE_GROUP = 43,
                TP_CREATE_ENV = 44, TP_DESTROY_ENV = 45, TP_TRY_SUBMIT = 46, TP_CREATE_WORK = 47, TP_SUBMIT_WORK = 48,
                TP_WAIT_WORK = 49, TP_CLOSE_WORK = 50, TP_CREATE_IO = 51, TP_START_IO = 52, TP_CANCEL_IO = 53,
                TP_CLOSE_IO = 54, TP_WAIT_IO = 55, TP_CREATE_TIMER = 56, TP_SET_TIMER = 57, TP_IS_TIMER_SET = 58,
                TP_WAIT_TIMER = 59, TP_CLOSE_TIMER = 60, TP_CREATE_WAIT = 61, TP_SET_WAIT = 62, TP_WAIT_WAIT = 63,
                TP_CLOSE_WAIT = 64, TP_CLOSE_MEMBERS = 65, TP_CLOSE_GROUP = 66, TP_CLOSE_POOL = 67,
                TP_MAY_RUN_LONG = 68;
        static final int WS_SOCKET = 80, WS_SETSOCKOPT_INT = 81, WS_SET_LINGER = 82, WS_UPDATE_ACCEPT = 83,
                WS_UPDATE_CONNECT = 84, WS_SO_ERROR = 85, WS_BIND = 86, WS_LISTEN = 87, WS_SOCKNAME = 88,
                WS_PEERNAME = 89, WS_SHUTDOWN = 90, WS_CLOSE = 91, WS_SKIP_ON_SUCCESS = 92, WS_ACCEPTEX = 93,
                WS_ACCEPT_ADDRS = 94, WS_CONNECTEX = 95, WS_DISCONNECTEX = 96, WS_TRANSMITFILE = 97, WS_RECV = 98,
                WS_SEND = 99, WS_CANCEL_IO = 100, WS_PROTOCOL_INFO = 101;
        /** Test hook: Sleep(ms) on the serving thread, returns its thread id. */
        static final int TEST_HOLD = 120;

        private Op() {
        }
    }

    /** Callback kinds of a callback frame. */
    static final int CB_SIMPLE = 1, CB_WORK = 2, CB_TIMER = 3, CB_WAIT = 4, CB_IO = 5;

    /** Receives the callbacks the helper's pool threads deliver, on their paired Java threads. */
    interface CallbackSink {
        /** {@code frame} is positioned after kind, context and instance. Must not throw. */
        void onCallback(int kind, long context, long instance, ByteBuffer frame);
    }

    private final Process process;
    private final ServerSocket callbackListener;
    private final int helperPort;
    private final byte[] token;
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    private final ThreadLocal<Conn> paired = new ThreadLocal<>();
    private final List<String> helperOutput = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong calls = new AtomicLong();
    private volatile CallbackSink sink;

    /** The error of the calling thread's last call (Win32 keeps one per thread). */
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);

    private WineBridge(Process process, ServerSocket callbackListener, int helperPort, byte[] token) {
        this.process = process;
        this.callbackListener = callbackListener;
        this.helperPort = helperPort;
        this.token = token;
    }

    // ================================================================ start

    /** Where the helper is built and Wine keeps its prefix; {@code pxj.wine.home} overrides. */
    static Path home() {
        String h = System.getProperty("pxj.wine.home");
        if (h != null && !h.isBlank()) {
            return Path.of(h).toAbsolutePath();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "pxj-wine-" + System.getProperty("user.name", "user"));
    }

    /** The wine64 launcher: {@code pxj.wine.exe}, else Debian's path, else {@code wine64} on the PATH. */
    static String wineLauncher() {
        String w = System.getProperty("pxj.wine.exe");
        if (w != null && !w.isBlank()) {
            return w;
        }
        return Files.isExecutable(Path.of("/usr/lib/wine/wine64")) ? "/usr/lib/wine/wine64" : "wine64";
    }

    /**
     * Builds the helper from the source in this jar when it is missing or stale (x86_64-w64-mingw32-gcc), starts it
     * under wine64 with a fresh token, and waits for it to listen.
     *
     * @throws IllegalStateException naming what is missing (mingw-w64, wine64) or what the helper printed
     */
    static WineBridge start(String... helperOptions) {
        Path home = home();
        try {
            Files.createDirectories(home);
            Path exe = buildHelper(home);
            ServerSocket cb = new ServerSocket();
            cb.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            byte[] token = new byte[16];
            new SecureRandom().nextBytes(token);
            String tokenText = HexFormat.of().formatHex(token);
            List<String> command = new ArrayList<>(List.of(wineLauncher(), exe.toString(),
                    Integer.toString(cb.getLocalPort()), tokenText));
            command.addAll(List.of(helperOptions));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("WINEPREFIX", home.resolve("prefix").toString());
            pb.environment().putIfAbsent("WINEDEBUG", "-all");
            pb.environment().put("WINEDLLOVERRIDES", "mscoree,mshtml=");
            pb.directory(home.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                cb.close();
                throw new IllegalStateException("Wine bridge: cannot run " + wineLauncher()
                        + " (install Debian's wine64 package, or set -Dpxj.wine.exe): " + e.getMessage(), e);
            }
            WineBridge b = new WineBridge(p, cb, awaitPort(p, cb), tokenText.getBytes(StandardCharsets.US_ASCII));
            b.startThreads();
            long hello = b.call(Op.HELLO).invoke("HELLO").ret;
            if (hello != 0x50584A01L) {
                b.close();
                throw new IllegalStateException("Wine bridge: unexpected helper version 0x" + Long.toHexString(hello));
            }
            LOG.info("Wine bridge up: helper pid {}, {}", p.pid(), exe);
            if (helperOptions.length == 0) {
                WineDeviations.report(WineDeviations.IOQUEUE_ASSERT); // its shim is always on
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("Wine bridge: " + e.getMessage(), e);
        }
    }

    /** Compiles the helper into {@code home} unless a build of the same source is already there. */
    static Path buildHelper(Path home) throws IOException {
        byte[] source;
        try (InputStream in = WineBridge.class.getResourceAsStream("pxj-wine-bridge.c")) {
            if (in == null) {
                throw new IllegalStateException("Wine bridge: pxj-wine-bridge.c is missing from the classpath");
            }
            source = in.readAllBytes();
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path exe = home.resolve("pxj-wine-bridge-" + hash + ".exe");
        if (Files.isRegularFile(exe)) {
            return exe;
        }
        Path src = home.resolve("pxj-wine-bridge-" + hash + ".c");
        Files.write(src, source);
        Path tmp = home.resolve("pxj-wine-bridge-" + hash + "." + ProcessHandle.current().pid() + ".tmp.exe");
        String cc = System.getProperty("pxj.wine.cc", "x86_64-w64-mingw32-gcc");
        ProcessBuilder pb = new ProcessBuilder(cc, "-O2", "-Wall", "-Wno-unused-parameter", src.toString(), "-o",
                tmp.toString(), "-lws2_32", "-lmswsock").redirectErrorStream(true);
        String out;
        int rc;
        try {
            Process p = pb.start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            rc = p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("Wine bridge: cannot run " + cc
                    + " (install Debian's gcc-mingw-w64-x86-64 package, or set -Dpxj.wine.cc): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Wine bridge: interrupted while building the helper", e);
        }
        if (rc != 0) {
            throw new IllegalStateException("Wine bridge: building the helper failed (" + cc + " exit " + rc + "):\n"
                    + out);
        }
        Files.move(tmp, exe, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return exe;
    }

    private static int awaitPort(Process p, ServerSocket cb) throws IOException {
        // The first stdout line is "PXJ-BRIDGE <port>"; the first run creates the Wine prefix (seconds).
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String line;
        List<String> seen = new ArrayList<>();
        while ((line = r.readLine()) != null) {
            if (line.startsWith("PXJ-BRIDGE ")) {
                return Integer.parseInt(line.substring("PXJ-BRIDGE ".length()).trim());
            }
            seen.add(line);
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        cb.close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        throw new IllegalStateException("Wine bridge: the helper did not start (exit "
                + (p.isAlive() ? "?" : p.exitValue()) + "); stdout " + seen + ", stderr: " + tail(err));
    }

    private static String tail(String s) {
        return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
    }

    private void startThreads() {
        Thread stderr = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (helperOutput) {
                        helperOutput.add(line);
                        if (helperOutput.size() > 50) {
                            helperOutput.remove(0);
                        }
                    }
                    LOG.warn("wine helper: {}", line);
                }
            } catch (IOException ignored) {
                // The helper exited.
            }
        }, "wine-bridge-stderr");
        stderr.setDaemon(true);
        stderr.start();
        Thread acceptor = new Thread(this::acceptCallbackConnections, "wine-bridge-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    // ================================================================ callbacks

    void setCallbackSink(CallbackSink sink) {
        this.sink = sink;
    }

    private void acceptCallbackConnections() {
        while (!closed.get()) {
            Socket s;
            try {
                s = callbackListener.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.error("Wine bridge: accepting a pool thread's connection failed", e);
                }
                return;
            }
            try {
                s.setTcpNoDelay(true);
                Conn c = new Conn(s);
                ByteBuffer hello = c.readFrame(System.nanoTime() + TimeUnit.SECONDS.toNanos(10), "callback hello");
                byte[] t = new byte[hello.getInt()];
                hello.get(t);
                if (!java.util.Arrays.equals(t, token)) {
                    s.close();
                    continue;
                }
                hello.getInt(); // kind: a pool thread
                int tid = hello.getInt();
                Thread paired = new Thread(() -> runPaired(c), "pxj-pool-wine-" + tid);
                paired.setDaemon(true);
                paired.start();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Wine bridge: a pool thread's connection failed its handshake", e);
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }

    /** The Java side of one Wine pool thread: one callback at a time, then RETURN. Ends when the thread exits. */
    private void runPaired(Conn c) {
        paired.set(c);
        try {
            for (;;) {
                ByteBuffer f;
                try {
                    f = c.readFrame(NO_DEADLINE, "callback");
                } catch (IllegalStateException e) {
                    return; // the Wine thread exited (its connection closed) or the helper is gone
                }
                int kind = f.getInt();
                long context = f.getLong();
                long instance = f.getLong();
                CallbackSink s = sink;
                if (s == null) {
                    LOG.error("Wine bridge: a callback arrived before the facade was ready; dropped");
                } else {
                    try {
                        s.onCallback(kind, context, instance, f);
                    } catch (Throwable t) {
                        PoolDispatch.failed("Wine bridge callback", t);
                    }
                }
                c.send(c.newRequest(Op.RETURN), "RETURN");
            }
        } finally {
            c.closeQuietly();
        }
    }

    /** True on a Java thread paired with a Wine pool thread (inside or between its callbacks). */
    boolean inPairedThread() {
        return paired.get() != null;
    }

    // ================================================================ calls

    /** The last error of the calling thread's last call that reported one. */
    int lastError() {
        return lastError.get()[0];
    }

    /** Starts a request: add arguments to the returned writer, then {@link Request#invoke}. */
    Request call(int op) {
        return new Request(op);
    }

    /** In a flags argument of DisconnectEx: Wine's own behaviour, without the bridge's shim (tests only). */
    static final int RAW_CALL = 0x80000000;

    /** Calls made: diagnostics. */
    long calls() {
        return calls.get();
    }

    /** The helper process (tests end it to check that calls fail instead of hanging). */
    Process process() {
        return process;
    }

    /** One request being built. Not thread-safe; use once. */
    final class Request {
        private ByteBuffer buf = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);

        private Request(int op) {
            buf.putInt(0); // frame length, patched on send
            buf.putInt(op);
        }

        private void room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer b = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 64))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                b.put(buf);
                buf = b;
            }
        }

        Request i32(int v) {
            room(4);
            buf.putInt(v);
            return this;
        }

        Request i64(long v) {
            room(8);
            buf.putLong(v);
            return this;
        }

        Request bool(boolean v) {
            return i32(v ? 1 : 0);
        }

        /** u32 length + bytes. */
        Request bytes(byte[] b, int off, int len) {
            room(4 + len);
            buf.putInt(len);
            buf.put(b, off, len);
            return this;
        }

        Request bytes(byte[] b) {
            return bytes(b, 0, b.length);
        }

        /** Raw bytes (no length). */
        Request raw(byte[] b, int off, int len) {
            room(len);
            buf.put(b, off, len);
            return this;
        }

        /** Sends the request, waits up to {@value #CALL_TIMEOUT_MS} ms for the response. */
        Reply invoke(String function) {
            return invoke(function, CALL_TIMEOUT_MS);
        }

        /**
         * Sends the request and waits for the response: {@code timeoutMs} bounds the wait ({@code NO_DEADLINE} for a
         * call that blocks by design); the helper's liveness is checked throughout.
         */
        Reply invoke(String function, long timeoutMs) {
            buf.putInt(0, buf.position() - 4);
            Conn own = paired.get();
            Conn c = own != null ? own : borrow(function);
            boolean ok = false;
            try {
                calls.incrementAndGet();
                c.write(buf.array(), buf.position(), function);
                long deadline = timeoutMs < 0 ? NO_DEADLINE : System.nanoTime()
                        + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                ByteBuffer r = c.readFrame(deadline, function);
                Reply reply = new Reply(r.getLong(), r.getInt(), r);
                if (reply.error != 0) {
                    lastError.get()[0] = reply.error;
                }
                ok = true;
                return reply;
            } finally {
                if (own == null) {
                    if (ok) {
                        release(c);
                    } else {
                        c.closeQuietly(); // the stream may hold half a frame: never reuse it
                    }
                }
            }
        }
    }

    /** A response: ret, the Win32 error, and the op's extra results in {@code in}. */
    record Reply(long ret, int error, ByteBuffer in) {
        byte[] bytes() {
            byte[] b = new byte[in.getInt()];
            in.get(b);
            return b;
        }
    }

    private Conn borrow(String function) {
        synchronized (idle) {
            Conn c = idle.pollFirst();
            if (c != null) {
                return c;
            }
        }
        checkAlive(function);
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), helperPort), 10_000);
            Conn c = new Conn(s);
            Request hello = new Request(0);
            hello.buf.clear();
            hello.buf.putInt(0);
            hello.bytes(token);
            hello.buf.putInt(0, hello.buf.position() - 4);
            c.write(hello.buf.array(), hello.buf.position(), "connect");
            return c;
        } catch (IOException e) {
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    throw failure(function, "the helper exited with code " + process.exitValue(), e);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw failure(function, "cannot connect to the helper: " + e.getMessage(), e);
        }
    }

    private void release(Conn c) {
        synchronized (idle) {
            if (!closed.get() && idle.size() < 64) {
                idle.addFirst(c);
                return;
            }
        }
        c.closeQuietly();
    }

    private void checkAlive(String function) {
        if (closed.get()) {
            throw new IllegalStateException("Wine bridge closed (during " + function + ")");
        }
        if (!process.isAlive()) {
            throw failure(function, "the helper exited with code " + process.exitValue(), null);
        }
    }

    private IllegalStateException failure(String function, String what, Throwable cause) {
        String out;
        synchronized (helperOutput) {
            out = helperOutput.isEmpty() ? "" : "; the helper said: " + String.join(" | ", helperOutput);
        }
        return new IllegalStateException("Wine bridge: " + function + " failed: " + what + out, cause);
    }

    /** One connection to the helper. */
    private final class Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] header = new byte[4];

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(500); // reads wake up to check the helper's liveness and the deadline
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        ByteBuffer newRequest(int op) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(4).putInt(op);
            return b;
        }

        void send(ByteBuffer b, String function) {
            write(b.array(), b.position(), function);
        }

        void write(byte[] b, int len, String function) {
            try {
                out.write(b, 0, len);
                out.flush();
            } catch (IOException e) {
                throw failure(function, "writing to the helper: " + e.getMessage(), e);
            }
        }

        ByteBuffer readFrame(long deadline, String function) {
            readFully(header, 4, deadline, function);
            int len = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (len < 0 || len > (256 << 20)) {
                throw failure(function, "bad frame length " + len, null);
            }
            byte[] body = new byte[len];
            readFully(body, len, deadline, function);
            return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        }

        private void readFully(byte[] b, int len, long deadline, String function) {
            int at = 0;
            while (at < len) {
                int k;
                try {
                    k = in.read(b, at, len - at);
                } catch (SocketTimeoutException e) {
                    if (deadline != NO_DEADLINE && System.nanoTime() - deadline > 0) {
                        throw failure(function, "no answer from the helper in time", null);
                    }
                    checkAlive(function);
                    continue;
                } catch (IOException e) {
                    throw failure(function, "reading from the helper: " + e.getMessage(), e);
                }
                if (k < 0) {
                    if (!process.isAlive()) {
                        throw failure(function, "the helper exited with code " + process.exitValue(), null);
                    }
                    throw failure(function, "the helper closed the connection", null);
                }
                at += k;
            }
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ================================================================ close

    boolean isClosed() {
        return closed.get();
    }

    /** Ends the helper (its pool threads' connections close, so their paired Java threads end too). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (idle) {
            idle.forEach(Conn::closeQuietly);
            idle.clear();
        }
        try {
            callbackListener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            process.getOutputStream().close(); // EOF on the helper's stdin: it exits on its own
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "WineBridge[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + ", calls " + calls + "]";
    }
}

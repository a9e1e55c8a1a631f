package io.pxj.bench;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heap bytes PxJ allocates per request in steady state, measured in-process: the PxJ server runs inside this JVM,
 * loopback clients run on threads of their own, and {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}
 * is summed over the server's threads (name prefix {@code pxj}, the runtime's pool/loop/main threads; the clients'
 * threads are named {@code alloc-client-*}) before and after N requests, after a warm-up.
 *
 * <p>Servers measured: {@code echo} (a zero-copy echo protocol: returns the received buffer), {@code raw-plaintext}
 * (a runtime-only protocol answering each pipelined GET with a canned TechEmpower response: the runtime's own cost
 * without an HTTP parser), and {@code http-plaintext} (the io.pxj.http server's /plaintext) when io.pxj.http is on
 * the class path.
 *
 * <p>Connection churn is measured the same way with {@code http /plaintext churn}: every request on a new
 * connection (HTTP/1.0, the server closes), so the figure is heap bytes per connection, accept to close.
 *
 * <pre>java -cp pxj-bench.jar io.pxj.bench.AllocBench [--requests N] [--warmup N] [--connections C] [--quick true]
 *      [--thread-prefix pxj]</pre>
 * Prints one line per server: {@code alloc <server>: <bytes> B/request (<n> requests, <c> client threads)}, and
 * {@code B/connection} for churn.
 */
public final class AllocBench {
    private static final byte[] CANNED = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "Server: pxj\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\nHello, World!")
            .getBytes(StandardCharsets.US_ASCII);
    private static final String MAIN_THREAD = "pxj-allocbench-main";

    private AllocBench() {}

    public static void main(String[] args) throws Exception {
        int requests = 200_000;
        int warmup = 100_000;
        int connections = 4;
        String prefix = "pxj";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--thread-prefix" -> prefix = args[++i];
                case "--quick" -> {
                    if (Boolean.parseBoolean(args[++i])) {
                        requests = 50_000;
                        warmup = 50_000;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("thread allocation counters unsupported");
        }
        mx.setThreadAllocatedMemoryEnabled(true);

        measure("echo (64 B round trip)", EchoProtocol::new, Client.ECHO, requests, warmup, connections, prefix, mx);
        measure("raw-plaintext (runtime only, canned response)", CannedPlaintext::new, Client.HTTP, requests, warmup,
                connections, prefix, mx);
        HttpServers.measurePlaintext(requests, warmup, connections, prefix, mx);
    }

    /** Starts a PxJ server with {@code factory} on its own main thread, drives it, prints bytes/request. */
    static void measure(String name, io.pxj.runtime.ProtocolFactory factory, Client kind, int requests, int warmup,
                        int connections, String prefix, com.sun.management.ThreadMXBean mx) throws Exception {
        measure(name, px -> px.server(new InetSocketAddress("127.0.0.1", 0), factory), kind, "/plaintext", requests,
                warmup,
                connections, prefix, mx);
    }

    /** Starts a server via {@code start} (called on the PxJ main thread) and measures; see the class comment. */
    static void measure(String name, java.util.function.Function<Px, Server> start, Client kind, String path,
                        int requests, int warmup, int connections, String prefix, com.sun.management.ThreadMXBean mx)
            throws Exception {
        AtomicReference<Px> pxRef = new AtomicReference<>();
        AtomicReference<Server> serverRef = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread main = new Thread(() -> {
            try (Px px = Px.builder().build()) {
                pxRef.set(px);
                serverRef.set(start.apply(px));
                ready.countDown();
                px.run();
            } catch (Throwable t) {
                failure.set(t);
                ready.countDown();
            }
        }, MAIN_THREAD);
        main.start();
        ready.await();
        if (failure.get() != null) {
            System.out.println("alloc " + name + ": failed to start: " + failure.get());
            return;
        }
        try {
            int port = serverRef.get().localAddress().getPort();
            drive(kind, port, path, warmup, connections);
            Map<Long, Long> before = snapshot(mx, prefix);
            drive(kind, port, path, requests, connections);
            Map<Long, Long> after = snapshot(mx, prefix);
            long bytes = 0;
            for (Map.Entry<Long, Long> e : after.entrySet()) {
                bytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
            String unit = kind == Client.HTTP_CLOSE ? "connection" : "request";
            System.out.printf(Locale.ROOT,
                    "alloc %s: %,.1f B/%s (%,d %ss, %d client threads, backend %s, threads %s)%n",
                    name, (double) bytes / requests, unit, requests, unit, connections, pxRef.get().backendName(),
                    names(prefix));
        } finally {
            pxRef.get().shutdown();
            main.join(10_000);
        }
    }

    private static String names(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix))
                .sorted().collect(java.util.stream.Collectors.joining(","));
    }

    /** Allocated bytes per live thread whose name starts with {@code prefix}. */
    private static Map<Long, Long> snapshot(com.sun.management.ThreadMXBean mx, String prefix) {
        Map<Long, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().startsWith(prefix)) { continue; }
            @SuppressWarnings("deprecation") long id = t.getId();
            long b = mx.getThreadAllocatedBytes(id);
            if (b >= 0) { m.put(id, b); }
        }
        return m;
    }

    /** ECHO and HTTP: round trips over long-lived connections; HTTP_CLOSE: one HTTP/1.0 request per connection. */
    enum Client { ECHO, HTTP, HTTP_CLOSE }

    /** {@code total} request/response round trips over {@code connections} blocking loopback connections. */
    static void drive(Client kind, int port, String path, int total, int connections) throws Exception {
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 0; c < connections; c++) {
            int n = total / connections + (c < total % connections ? 1 : 0);
            Thread t = new Thread(() -> {
                if (kind == Client.HTTP_CLOSE) {
                    try {
                        churnLoop(port, path, n);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                    return;
                }
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    s.setSoTimeout(10_000);
                    if (kind == Client.ECHO) { echoLoop(s, n); }
                    else { httpLoop(s, path, n); }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "alloc-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) { t.join(); }
        if (failure.get() != null) { throw new IllegalStateException("client failed", failure.get()); }
    }

    private static void echoLoop(Socket s, int n) throws IOException {
        byte[] msg = new byte[64];
        byte[] back = new byte[64];
        OutputStream o = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int i = 0; i < n; i++) {
            o.write(msg);
            int got = 0;
            while (got < msg.length) {
                int r = in.read(back, got, msg.length - got);
                if (r < 0) { throw new IOException("echo closed"); }
                got += r;
            }
        }
    }

    private static void httpLoop(Socket s, String path, int n) throws IOException {
        byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream o = s.getOutputStream();
        InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 8192);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            o.write(req);
            int length = -1;
            boolean first = true;
            while (true) { // headers
                line.setLength(0);
                for (int b; (b = in.read()) != '\n'; ) {
                    if (b < 0) { throw new IOException("http closed"); }
                    if (b != '\r') { line.append((char) b); }
                }
                if (first && !line.toString().startsWith("HTTP/1.1 200")) { throw new IOException("status " + line); }
                first = false;
                if (line.length() == 0) { break; }
                if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (length < 0) { throw new IOException("no Content-Length"); }
            in.skipNBytes(length);
        }
    }

    /** {@code n} connections one after another, each sending one HTTP/1.0 request and reading to the server's close. */
    private static void churnLoop(int port, String path, int n) throws IOException {
        byte[] req = ("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[4096];
        for (int i = 0; i < n; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(req);
                InputStream in = s.getInputStream();
                int got = 0;
                for (int r; (r = in.read(buf, got, buf.length - got)) > 0; ) { got += r; }
                String head = new String(buf, 0, Math.min(got, 12), StandardCharsets.US_ASCII);
                if (!head.startsWith("HTTP/1.1 200")) { throw new IOException("status " + head); }
            }
        }
    }

    /** Zero-copy echo: the received buffer is the reply. */
    static final class EchoProtocol implements Protocol {
        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            return data;
        }
    }

    /**
     * Answers each complete request head (CRLFCRLF) with a canned plaintext response written into the arena: what
     * the runtime costs per request without any HTTP parsing or routing.
     */
    static final class CannedPlaintext implements Protocol {
        private int matched; // bytes of "\r\n\r\n" matched so far, carried across reads

        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            int count = 0;
            for (int i = data.position(), end = data.limit(); i < end; i++) {
                byte b = data.get(i);
                if (b == (matched % 2 == 0 ? '\r' : '\n')) {
                    if (++matched == 4) {
                        count++;
                        matched = 0;
                    }
                } else {
                    matched = b == '\r' ? 1 : 0;
                }
            }
            if (count == 0) { return null; }
            io.pxj.runtime.ArenaBuffer out = ctx.allocate(CANNED.length * count);
            for (int i = 0; i < count; i++) { out.put(CANNED); }
            return out;
        }
    }
}

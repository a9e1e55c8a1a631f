package io.pxj.demo;

import io.pxj.demo.echo.EchoService;
import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * {@code --self-check}: proves, on loopback and in about a second, that the parts of PxJ the demo runs on work in
 * this JVM, one line per part: {@code <name>: ok - <what was checked>} or {@code <name>: FAILED - <reason>}.
 * <ul>
 *   <li>{@code runtime-core}: a runtime is built (its backend is named) and a {@code px.submitWork} round trip
 *       completes on the main thread;</li>
 *   <li>{@code io.pxj.http}: an {@code HttpServer} answers {@code GET /plaintext} on an ephemeral loopback port;</li>
 *   <li>{@code io.pxj.services}: every service of the {@code echo} command makes a protocol, and the echo service
 *       echoes on an ephemeral loopback port.</li>
 * </ul>
 * Exit code 0 when every part works, 1 otherwise.
 */
final class SelfCheck {
    static final String CORE = "runtime-core";
    static final String HTTP = "io.pxj.http";
    static final String SERVICES = "io.pxj.services";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    /** One part's result. */
    record Check(String part, boolean ok, String detail) {
        String line() {
            return part + ": " + (ok ? "ok - " : "FAILED - ") + detail;
        }
    }

    private SelfCheck() {}

    static int run(PrintWriter out) {
        out.println("PxJ threadpool-demo " + Version.version() + " self-check (Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")");
        out.flush();
        boolean all = true;
        for (Check c : check()) {
            all &= c.ok();
            out.println(c.line());
        }
        out.println(all ? "All parts work." : "Self-check failed.");
        out.flush();
        return all ? 0 : Cli.EXIT_FAILURE;
    }

    /** Runs the checks; the calling thread becomes the checking runtime's main thread. */
    static List<Check> check() {
        List<Check> checks = new ArrayList<>();
        Px px;
        try {
            px = Px.builder().threads(2).build();
        } catch (RuntimeException | LinkageError e) {
            checks.add(new Check(CORE, false, "building a runtime failed: " + e));
            checks.add(new Check(HTTP, false, "not checked (no runtime)"));
            checks.add(new Check(SERVICES, false, "not checked (no runtime)"));
            return checks;
        }
        try {
            checks.add(attempt(CORE, () -> core(px)));
            checks.add(attempt(HTTP, () -> http(px)));
            checks.add(attempt(SERVICES, () -> services(px)));
        } finally {
            px.close(Duration.ofSeconds(5));
        }
        return checks;
    }

    private static Check attempt(String part, Callable<String> check) {
        try {
            return new Check(part, true, check.call());
        } catch (Exception | LinkageError e) {
            String m = e.getMessage();
            return new Check(part, false, e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
        }
    }

    private static String core(Px px) throws Exception {
        CompletableFuture<Integer> delivered = new CompletableFuture<>();
        px.submitWork(ctx -> 6 * 7, delivered::complete, delivered::completeExceptionally);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!delivered.isDone() && System.nanoTime() < deadline) { px.runOnce(Duration.ofMillis(20)); }
        int v = delivered.getNow(-1);
        if (v != 42) { throw new IllegalStateException("px.submitWork did not deliver its result to the main thread"); }
        return "backend " + px.backendName() + ", " + px.stats().threads() + " pool threads, px.submitWork round trip";
    }

    private static String http(Px px) throws Exception {
        HttpServer.Running running = HttpServer.builder().route("/plaintext", TechEmpower.plaintext()).build()
                .start(px, loopback());
        try {
            InetSocketAddress a = running.localAddress();
            String reply = new String(exchange(px, a,
                    "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII),
                    -1), StandardCharsets.US_ASCII);
            if (!reply.startsWith("HTTP/1.1 200 ") || !reply.endsWith("\r\n\r\nHello, World!")) {
                throw new IllegalStateException("unexpected answer to GET /plaintext: " + firstLine(reply));
            }
            return "GET /plaintext on " + hostPort(a) + " answered 200 Hello, World!";
        } finally {
            running.close();
        }
    }

    private static String services(Px px) throws Exception {
        for (EchoService s : EchoService.values()) {
            if (s.factory().newProtocol() == null) {
                throw new IllegalStateException(s.cliName() + " made no protocol");
            }
        }
        Server server = px.server(loopback(), EchoService.ECHO.factory());
        try {
            InetSocketAddress a = server.localAddress();
            byte[] ping = "PxJ self-check\n".getBytes(StandardCharsets.US_ASCII);
            byte[] got = exchange(px, a, ping, ping.length);
            if (!Arrays.equals(ping, got)) {
                throw new IllegalStateException("echo answered '" + new String(got, StandardCharsets.US_ASCII) + "'");
            }
            return EchoService.names() + "; echo round trip on " + hostPort(a);
        } finally {
            server.close();
        }
    }

    /**
     * Sends {@code request} from a helper thread and reads {@code expect} bytes (-1: until the server closes),
     * while this (main) thread runs the runtime's main loop.
     */
    private static byte[] exchange(Px px, InetSocketAddress to, byte[] request, int expect) throws Exception {
        FutureTask<byte[]> client = new FutureTask<>(() -> {
            try (Socket s = new Socket()) {
                s.connect(to, (int) STEP_TIMEOUT.toMillis());
                s.setSoTimeout((int) STEP_TIMEOUT.toMillis());
                OutputStream o = s.getOutputStream();
                o.write(request);
                o.flush();
                InputStream in = s.getInputStream();
                return expect < 0 ? in.readAllBytes() : in.readNBytes(expect);
            }
        });
        Thread t = new Thread(client, "pxj-self-check-client");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!client.isDone() && System.nanoTime() < deadline) { px.runOnce(Duration.ofMillis(20)); }
        return client.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\r');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

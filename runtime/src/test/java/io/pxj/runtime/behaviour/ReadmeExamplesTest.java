package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's code, verbatim between the {@code // README:<name>:begin} and {@code // README:<name>:end} markers
 * (the classes after this one), and tests that it runs. Uses the default backend ({@code -Dpxj.backend} or the
 * best available), like a reader would.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest {

    private static final Path SOURCE = Path.of("src/test/java/io/pxj/runtime/behaviour/ReadmeExamplesTest.java");
    private static final Path README = Path.of("../README.md");

    private static Set<Thread> pxjThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("pxj")).collect(Collectors.toSet());
    }

    private static void assertNoNewPxjThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Thread> left;
        do {
            left = pxjThreads().stream().filter(t -> !before.contains(t)).toList();
            if (left.isEmpty()) return;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("pxj threads left after the example closed its runtime: " + left);
    }

    @Test
    void theEchoServerExampleEchoes() throws Exception {
        Set<Thread> before = pxjThreads();
        CompletableFuture<Px> runtime = new CompletableFuture<>();
        CompletableFuture<Server> started = new CompletableFuture<>();
        Thread main = new Thread(() -> { // what EchoServer.main does, on a loopback port of our choosing
            try (Px px = Px.builder().build()) {
                runtime.complete(px);
                started.complete(EchoServer.start(px, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
                px.run();
            } catch (Throwable t) {
                runtime.completeExceptionally(t);
                started.completeExceptionally(t);
            }
        }, "readme-echo-main");
        main.setDaemon(true);
        main.start();
        Px px = runtime.get(15, TimeUnit.SECONDS);
        Server server = started.get(15, TimeUnit.SECONDS);
        try (Socket s = new Socket()) {
            s.setSoTimeout(15_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.localAddress().getPort()), 5000);
            s.getOutputStream().write("hello, README".getBytes(UTF_8));
            assertEquals("hello, README", new String(s.getInputStream().readNBytes(13), UTF_8));
        } finally {
            px.shutdown();
            main.join(20_000);
        }
        assertFalse(main.isAlive(), "px.run() returned after px.shutdown()");
        assertNoNewPxjThreads(before);
    }

    @Test
    void theSubmitWorkExampleCountsPrimes() throws Exception {
        Set<Thread> before = pxjThreads();
        assertEquals(9592, ParallelPrimes.run(100_000, 8), "pi(100000) computed in 8 parallel chunks");
        assertEquals(78_498, ParallelPrimes.run(1_000_000, 3), "pi(1000000) in 3 chunks");
        assertNoNewPxjThreads(before);
    }

    @Test
    void eachReadmeSnippetIsUnderThirtyLines() throws Exception {
        assertTrue(Files.exists(SOURCE), "surefire runs in the runtime module directory; missing " + SOURCE);
        List<String> lines = Files.readAllLines(SOURCE, UTF_8);
        for (String name : List.of("echo", "work")) {
            int begin = lines.indexOf("// README:" + name + ":begin");
            int end = lines.indexOf("// README:" + name + ":end");
            assertTrue(begin >= 0 && end > begin, "markers for " + name);
            int n = end - begin - 1;
            assertTrue(n < 30, "README " + name + " snippet has " + n + " lines; keep it under 30");
        }
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws Exception {
        assertTrue(Files.exists(SOURCE) && Files.exists(README), "surefire runs in the runtime module directory");
        String source = Files.readString(SOURCE, UTF_8);
        String readme = Files.readString(README, UTF_8);
        for (String name : List.of("echo", "work")) {
            String begin = "// README:" + name + ":begin\n";
            int from = source.indexOf(begin) + begin.length();
            int to = source.indexOf("// README:" + name + ":end");
            String snippet = source.substring(from, to);
            assertTrue(readme.contains("```java\n" + snippet + "```"),
                    "README.md must show the " + name + " example exactly as compiled here (" + SOURCE
                            + "); copy it between the markers into README.md");
        }
    }
}

// README:echo:begin
// imports: io.pxj.runtime.*, java.net.InetSocketAddress, java.nio.ByteBuffer
final class EchoServer implements Protocol {
    @Override // runs in parallel on a pool thread, inside this connection's ParallelContext
    public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
        return data; // the return value is the response: returning the received bytes echoes them (zero-copy)
    }

    static Server start(Px px, InetSocketAddress address) {
        Server server = px.server(address, EchoServer::new); // one EchoServer per connection
        System.out.println("echo server on " + server.localAddress() + " (" + px.backendName() + " backend)");
        return server;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7007;
        try (Px px = Px.builder().build()) { // this thread becomes the runtime's main thread
            start(px, new InetSocketAddress(port));
            px.run(); // the main loop, until px.shutdown()
        }
    }
}
// README:echo:end

// README:work:begin
// imports: io.pxj.runtime.*, java.util.stream.LongStream
final class ParallelPrimes {
    static long countPrimes(long from, long to) { // plain Java: runs in parallel on the pool threads
        return LongStream.range(Math.max(from, 2), to)
                .filter(n -> LongStream.rangeClosed(2, (long) Math.sqrt(n)).allMatch(d -> n % d != 0)).count();
    }

    static long run(long limit, int chunks) {
        long[] total = {0};
        int[] pending = {chunks};
        try (Px px = Px.builder().build()) {
            for (int i = 0; i < chunks; i++) {
                long from = limit * i / chunks, to = limit * (i + 1) / chunks;
                px.submitWork(ctx -> countPrimes(from, to),
                        count -> { total[0] += count; if (--pending[0] == 0) px.shutdown(); }, // main thread: no locks
                        error -> { error.printStackTrace(); px.shutdown(); });
            }
            px.run(); // runs the callbacks on this thread until px.shutdown()
        }
        return total[0];
    }

    public static void main(String[] args) {
        System.out.println("primes below 10,000,000: " + run(10_000_000, 16));
    }
}
// README:work:end

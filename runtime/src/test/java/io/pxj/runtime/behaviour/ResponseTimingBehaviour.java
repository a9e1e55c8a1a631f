package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.http.HttpServer;
import io.pxj.http.RequestListener;
import io.pxj.http.HttpRequest;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Response timing: {@code Transport.receivedNanos} is the read completion, {@code Protocol.responseSent} the send
 * completion that carried a timed response's last byte; over HTTP, the server time a {@link RequestListener}
 * hears covers queueing behind earlier requests and back-pressure, and the handler time only the handler.
 */
public abstract class ResponseTimingBehaviour extends BackendTestSupport {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int SLEEP_MS = 20;

    /** Answers each read with one 2-byte response per received byte, each timed from the read completion. */
    static final class TimedLines implements Protocol {
        final List<long[]> reads = new CopyOnWriteArrayList<>();   // {receivedNanos, callback start}
        final List<long[]> sent = new CopyOnWriteArrayList<>();    // {tag, startNanos, sentNanos}
        final List<Long> returned = new CopyOnWriteArrayList<>();  // System.nanoTime() as each callback returns
        int tag;

        @Override
        public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
            long now = System.nanoTime();
            reads.add(new long[] {t.receivedNanos(), now});
            int n = data.remaining();
            byte[] out = new byte[2 * n];
            for (int i = 0; i < n; i++) {
                out[2 * i] = data.get(data.position() + i);
                out[2 * i + 1] = '\n';
                t.timeResponse(2L * (i + 1), t.receivedNanos(), ++tag);
            }
            returned.add(System.nanoTime());
            return out;
        }

        @Override
        public void responseSent(ParallelContext ctx, Transport t, long startNanos, long sentNanos, int tag) {
            sent.add(new long[] {tag, startNanos, sentNanos});
        }
    }

    @Test
    void receivedNanosIsTheReadCompletionAndResponsesAreReportedWhenSent() throws Exception {
        TimedLines p = new TimedLines();
        Server server = server(() -> p);
        Socket s = connect(server);
        long beforeWrite = System.nanoTime();
        s.getOutputStream().write(ascii("abc"));
        assertEquals("a\nb\nc\n", new String(readExactly(s, 6), StandardCharsets.US_ASCII));
        eventually(() -> p.sent.size() == 3, "3 timed responses reported (" + p.sent.size() + ")");
        for (long[] r : p.reads) {
            assertTrue(r[0] >= beforeWrite, "the read completed after the client wrote");
            assertTrue(r[0] <= r[1], "the read completed before dataReceived ran");
        }
        for (int i = 0; i < 3; i++) {
            long[] e = p.sent.get(i);
            assertEquals(i + 1, e[0], "reported in the order timed");
            assertTrue(p.reads.stream().anyMatch(r -> r[0] == e[1]), "started at a read completion");
            assertTrue(e[2] >= p.returned.get(0), "sent after the callback that produced it returned");
        }
    }

    /** One large response the client reads only after a pause: the send completes when the kernel has taken it all. */
    static final class BigReply implements Protocol {
        static final int SIZE = 32 << 20; // more than loopback's socket buffers hold
        final List<Long> serverNanos = new CopyOnWriteArrayList<>();

        @Override
        public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
            t.timeResponse(SIZE, t.receivedNanos(), 1);
            return ByteBuffer.allocateDirect(SIZE);
        }

        @Override
        public void responseSent(ParallelContext ctx, Transport t, long startNanos, long sentNanos, int tag) {
            serverNanos.add(sentNanos - startNanos);
        }
    }

    @Test
    void backPressureCountsUntilTheLastByteIsHandedToTheKernel() throws Exception {
        BigReply p = new BigReply();
        Server server = server(() -> p);
        Socket s = connect(server);
        s.getOutputStream().write('x');
        sleepQuietly(300); // the client does not read: the send cannot complete
        assertTrue(p.serverNanos.isEmpty(), "not reported while the client reads nothing");
        readExactly(s, BigReply.SIZE);
        eventually(() -> p.serverNanos.size() == 1, "the response reported once sent");
        assertTrue(p.serverNanos.get(0) >= 300 * MS, "includes the 300 ms the client did not read: "
                + p.serverNanos.get(0) / MS + " ms");
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    /** Both figures, as the demo's metrics hear them. */
    static final class Heard implements RequestListener {
        final List<Long> handler = new CopyOnWriteArrayList<>();
        final List<Long> server = new CopyOnWriteArrayList<>();

        @Override
        public void requestCompleted(HttpRequest request, int status, long handlerNanos) {
            handler.add(handlerNanos);
        }

        @Override
        public void responseSent(int status, long serverNanos) {
            server.add(serverNanos);
        }
    }

    private HttpServer.Running http(Heard heard) {
        HttpServer http = HttpServer.builder()
                // Blocks its thread on purpose (documented: a blocking handler stalls its loop / pool thread).
                .route("/sleep", (req, res) -> {
                    Thread.sleep(SLEEP_MS);
                    return "slept".getBytes(StandardCharsets.US_ASCII);
                })
                .route("/plaintext", TechEmpower.plaintext())
                .listener(heard)
                .build();
        HttpServer.Running running = http.start(px, loopback0());
        closeLater(() -> running.close(Duration.ofSeconds(5)));
        return running;
    }

    @Test
    void aSlowHandlersServerTimeAndHandlerTimeBothShowIt() throws Exception {
        Heard heard = new Heard();
        HttpServer.Running running = http(heard);
        Socket s = connect(running.server());
        for (int i = 0; i < 10; i++) {
            s.getOutputStream().write(get("/sleep"));
            assertEquals(200, readResponse(s.getInputStream()));
        }
        eventually(() -> heard.server.size() == 10, "10 server times (" + heard.server.size() + ")");
        long server50 = p50(heard.server), handler50 = p50(heard.handler);
        assertTrue(server50 >= SLEEP_MS * MS, "server time p50 " + server50 / MS + " ms >= the handler's sleep");
        assertTrue(handler50 >= SLEEP_MS * MS && handler50 < 5 * SLEEP_MS * MS,
                "handler time p50 is the handler's " + SLEEP_MS + " ms: " + handler50 / 1000 + " µs");
        assertTrue(server50 >= handler50, "server time includes the handler: " + server50 + " < " + handler50);
    }

    @Test
    void pipelinedRequestsServerTimeIncludesTheQueue() throws Exception {
        Heard heard = new Heard();
        HttpServer.Running running = http(heard);
        Socket s = connect(running.server());
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 16; i++) burst.write(get("/sleep"));
        s.getOutputStream().write(burst.toByteArray()); // 16 pipelined requests in one write
        InputStream in = new BufferedInputStream(s.getInputStream());
        for (int i = 0; i < 16; i++) assertEquals(200, readResponse(in));
        eventually(() -> heard.server.size() == 16, "16 server times (" + heard.server.size() + ")");
        List<Long> server = sorted(heard.server), handler = sorted(heard.handler);
        String report = "server times (ms) " + millis(server) + ", handler times (ms) " + millis(handler);
        for (long h : handler) assertTrue(h >= SLEEP_MS * MS, "every handler slept: " + report);
        assertTrue(p50(handler) < 5 * SLEEP_MS * MS, "the handler figure is one handler's time: " + report);
        for (long t : server) assertTrue(t >= SLEEP_MS * MS, "every server time includes its handler: " + report);
        // One read delivers the burst: each request waits for the ones before it, and the responses go out together
        // after the 16th, so every server time is about 16 x 20 ms. Even split over two reads, the larger part
        // waits for at least 8 handlers.
        assertTrue(server.get(15) >= 8 * SLEEP_MS * MS, "the slowest waited behind >= 8 handlers: " + report);
        assertTrue(p50(server) >= 4 * p50(handler), "server time p50 includes the queue: " + report);
    }

    @Test
    void aFastHandlersServerTimeCoversMoreThanTheHandler() throws Exception {
        Heard heard = new Heard();
        HttpServer.Running running = http(heard);
        Socket s = connect(running.server());
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < 200; i++) {
            out.write(get("/plaintext"));
            assertEquals(200, readResponse(in));
        }
        eventually(() -> heard.server.size() == 200, "200 server times (" + heard.server.size() + ")");
        for (int i = 0; i < 200; i++) {
            assertTrue(heard.server.get(i) > heard.handler.get(i),
                    "request " + i + ": server time " + heard.server.get(i) + " ns > handler time "
                            + heard.handler.get(i) + " ns (it adds parsing and the send)");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static byte[] get(String path) {
        return ascii("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
    }

    /** Reads one response (head and Content-Length body); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new AssertionError("EOF inside a response head: " + head);
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
        }
        for (int i = 0; i < length; i++) if (in.read() < 0) throw new AssertionError("EOF inside a body");
        return Integer.parseInt(head.substring(9, 12));
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> l = new ArrayList<>(values);
        Collections.sort(l);
        return l;
    }

    private static long p50(List<Long> values) {
        List<Long> l = sorted(values);
        return l.get((l.size() - 1) / 2);
    }

    private static String millis(List<Long> nanos) {
        return nanos.stream().map(n -> String.format("%.1f", n / 1e6)).toList().toString();
    }
}

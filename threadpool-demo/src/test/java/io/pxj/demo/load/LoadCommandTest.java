package io.pxj.demo.load;

import io.pxj.demo.CommandFailedException;
import io.pxj.runtime.Client;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Px;
import io.pxj.runtime.Transport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The load command's main loop against a mocked runtime: each runOnce plays one round trip of an in-memory HTTP
 * server for every connection (answering each request it was sent), so progress lines and the summary are real.
 */
class LoadCommandTest {
    static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 8080);
    static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!".getBytes(StandardCharsets.US_ASCII);

    final ParallelContext ctx = mock(ParallelContext.class);
    final Px px = mock(Px.class);

    /** One simulated connection: what the protocol sent and has not been answered yet. */
    static final class Wire {
        final Protocol protocol;
        final Transport transport = mock(Transport.class);
        int pendingRequests;

        Wire(Protocol protocol) {
            this.protocol = protocol;
        }

        void sent(Object data, int requestLength) {
            if (data != null) pendingRequests += ((ByteBuffer) data).remaining() / requestLength;
        }
    }

    static LoadCommand command() {
        LoadCommand c = new LoadCommand();
        c.rate = null;
        return c;
    }

    static LoadRun run(int connections, int pipeline) {
        LoadTarget t = LoadTarget.parse(LoadTarget.Mode.HTTP, "http://127.0.0.1:8080/plaintext");
        return new LoadRun(LoadTarget.Mode.HTTP, t, ADDR, connections, pipeline, 0, 0);
    }

    /**
     * Mocks a server on {@code px}: every client connection gets a {@link Wire}, and each {@code runOnce} (about one
     * millisecond) answers every request sent so far with {@link #RESPONSE}.
     */
    List<Wire> answerEveryRequest(LoadRun run) throws Exception {
        int requestLength = run.httpRequestLength;
        List<Wire> wires = new ArrayList<>();
        when(px.backendName()).thenReturn("mock");
        when(px.client(any(), any())).thenAnswer(inv -> {
            Wire w = new Wire(inv.getArgument(1));
            w.protocol.connectionMade(ctx, w.transport);
            w.sent(w.protocol.initialBytesToSend(ctx, w.transport), requestLength);
            wires.add(w);
            return mock(Client.class);
        });
        when(px.runOnce(any())).thenAnswer(inv -> {
            Thread.sleep(1);
            for (Wire w : wires) {
                int n = w.pendingRequests;
                if (n == 0) continue;
                ByteBuffer answers = ByteBuffer.allocate(n * RESPONSE.length);
                for (int i = 0; i < n; i++) answers.put(RESPONSE);
                w.pendingRequests = 0;
                w.sent(w.protocol.dataReceived(ctx, w.transport, answers.flip()), requestLength);
            }
            return 1;
        });
        return wires;
    }

    @Test
    void closedLoopPrintsProgressAndASummary() throws Exception {
        LoadRun run = run(3, 2);
        List<Wire> wires = answerEveryRequest(run);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = command().drive(px, run, Duration.ofMillis(2100), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertEquals(3, wires.size());
        assertTrue(out.startsWith("PxJ load http http://127.0.0.1:8080/plaintext: 3 connection(s), 2100 ms, pipeline 2,"
                + " closed loop (backend mock)"), out);
        assertTrue(out.matches("(?s).*\\n   1s\\s+[\\d,]+ req/s   p50 .*\\n   2s\\s+[\\d,]+ req/s   p50 .*"), "two progress lines:\n" + out);
        assertTrue(out.contains("requests completed"), out);
        assertTrue(out.contains("all requests"), out);
        assertTrue(out.matches("(?s).*\\n  errors\\s+0\\n.*"), out);
        assertTrue(out.matches("(?s).*status\\s+1xx 0  2xx [1-9][\\d,]*  3xx 0  4xx 0  5xx 0  other 0.*"), out);
        assertTrue(run.responses.sum() > 100, "responses: " + run.responses.sum());
    }

    @Test
    void warmUpIsLeftOutOfTheSummary() throws Exception {
        LoadRun run = run(2, 1);
        answerEveryRequest(run);
        LoadCommand c = command();
        c.warmupFor = Duration.ofMillis(1200);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, c.drive(px, run, Duration.ofMillis(1100), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\nwarm-up 1200 ms (left out of the summary)\n"), out);
        assertTrue(out.contains("\nwarm-up done; measuring for 1100 ms\n"), out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("requests completed\\s+([\\d,]+) in ([0-9.]+) s").matcher(out);
        assertTrue(m.find(), out);
        double seconds = Double.parseDouble(m.group(2));
        assertTrue(seconds >= 1.05 && seconds < 1.9, "only the measured part is timed: " + out);
        // the 2xx count and the table count the same (measured) responses
        assertTrue(out.contains("2xx " + m.group(1) + " "), out);
    }

    @Test
    void anUnreachableServerAbortsWithAClearMessage() {
        LoadRun run = run(2, 1);
        when(px.backendName()).thenReturn("mock");
        when(px.client(any(), any())).thenAnswer(inv -> {
            Protocol p = inv.getArgument(1);
            p.connectFailed(ctx, ADDR, new ConnectException("Connection refused"));
            return mock(Client.class);
        });
        when(px.runOnce(any())).thenAnswer(inv -> {
            Thread.sleep(5);
            return 0;
        });
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> command().drive(px, run, Duration.ofSeconds(5), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("cannot connect to " + ADDR + ": connect to " + ADDR
                + " failed: java.net.ConnectException: Connection refused"), e.getMessage());
    }
}

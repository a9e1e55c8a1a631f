package io.pxj.demo.load;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.ParallelFunction;
import io.pxj.runtime.Px;
import io.pxj.runtime.PxTimer;
import io.pxj.runtime.Transport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The per-connection protocol against mocked runtime interfaces: no runtime core needed. */
class LoadConnectionTest {
    static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 8080);
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    final ParallelContext ctx = mock(ParallelContext.class);
    final Transport transport = mock(Transport.class);

    static LoadRun httpRun(int pipeline, long interval) {
        LoadTarget t = LoadTarget.parse(LoadTarget.Mode.HTTP, "http://127.0.0.1:8080/plaintext");
        return new LoadRun(LoadTarget.Mode.HTTP, t, ADDR, 1, pipeline, interval, 0);
    }

    static String text(Object sent) {
        ByteBuffer b = ((ByteBuffer) sent).duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.US_ASCII);
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void closedLoopHttpPipelinesAndRecords() throws Exception {
        LoadRun run = httpRun(2, 0);
        LoadConnection c = new LoadConnection(run);
        c.connectionMade(ctx, transport);
        String first = text(c.initialBytesToSend(ctx, transport));
        String request = new String(run.target.httpRequest(), StandardCharsets.US_ASCII);
        assertEquals(request + request, first, "pipeline 2: two requests at once");

        assertNull(c.dataReceived(ctx, transport, ascii(OK.substring(0, 10))), "partial response: nothing to send");
        assertEquals(request, text(c.dataReceived(ctx, transport, ascii(OK.substring(10)))), "one done, one more sent");
        assertEquals(request + request, text(c.dataReceived(ctx, transport, ascii(OK + OK.replace("200", "503")))));

        assertEquals(3, run.responses.sum());
        assertEquals(2, run.statusClasses[2].sum());
        assertEquals(1, run.statusClasses[5].sum());
        assertEquals(1, run.non2xx());
        Histogram h = run.latency.getIntervalHistogram();
        assertEquals(3, h.getTotalCount());
        assertEquals(5L * request.length(), run.bytesSent.sum());
        assertEquals(3L * OK.length(), run.bytesReceived.sum());

        // The server closes with two requests unanswered: counted as an error, and the connection is replaced.
        c.connectionClosed(ctx, transport);
        assertEquals(1, run.errors.sum());
        assertEquals(1, run.toReopen.get());
        assertTrue(run.firstErrors().get(0).contains("2 request(s) unanswered"), run.firstErrors().toString());
    }

    @Test
    void malformedResponseFailsTheCallback() throws Exception {
        LoadConnection c = new LoadConnection(httpRun(1, 0));
        c.connectionMade(ctx, transport);
        c.initialBytesToSend(ctx, transport);
        assertThrows(HttpResponseCounter.HttpParseException.class,
                () -> c.dataReceived(ctx, transport, ascii("SMTP ready\r\n")));
    }

    @Test
    void serverClosingKeepAliveStopsSending() throws Exception {
        LoadRun run = httpRun(1, 0);
        LoadConnection c = new LoadConnection(run);
        c.connectionMade(ctx, transport);
        c.initialBytesToSend(ctx, transport);
        assertNull(c.dataReceived(ctx, transport, ascii("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")));
        verify(transport).close();
        c.connectionClosed(ctx, transport);
        assertEquals(0, run.errors.sum(), "a clean close after the answer is not an error");
        assertEquals(1, run.toReopen.get());
    }

    @Test
    void echoVerifiesAndCountsMessages() throws Exception {
        LoadTarget t = LoadTarget.parse(LoadTarget.Mode.ECHO, "127.0.0.1:7");
        LoadRun run = new LoadRun(LoadTarget.Mode.ECHO, t, ADDR, 1, 3, 0, 5);
        LoadConnection c = new LoadConnection(run);
        c.connectionMade(ctx, transport);
        ByteBuffer sent = (ByteBuffer) c.initialBytesToSend(ctx, transport);
        assertEquals(15, sent.remaining());
        ByteBuffer echoed = sent.duplicate();
        echoed.limit(7);
        ByteBuffer next = (ByteBuffer) c.dataReceived(ctx, transport, echoed); // 1 message back -> 1 more sent
        assertEquals(5, next.remaining());
        assertEquals(EchoVerifier.patternAt(15), next.get(0), "message 3 continues the stream");
        assertEquals(1, run.responses.sum());
        ByteBuffer corrupt = ByteBuffer.wrap(new byte[] {'?'});
        assertThrows(EchoVerifier.EchoMismatchException.class, () -> c.dataReceived(ctx, transport, corrupt));
    }

    @Test
    void fixedRateUsesAPoolTimerAndStopsWhenStopping() throws Exception {
        Px px = mock(Px.class);
        @SuppressWarnings("unchecked")
        PxTimer<Object> timer = mock(PxTimer.class);
        when(ctx.runtime()).thenReturn(px);
        when(px.submitTimer(any(), any(), any())).thenReturn(timer);
        when(transport.isOpen()).thenReturn(true);

        LoadRun run = httpRun(4, 2_000_000L); // 500 req/s on this connection
        long[] now = {1_000_000_000L};
        LoadConnection c = new LoadConnection(run, () -> now[0]);
        c.connectionMade(ctx, transport);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ArgumentCaptor<ParallelFunction> tick = ArgumentCaptor.forClass(ParallelFunction.class);
        ArgumentCaptor<Duration> period = ArgumentCaptor.forClass(Duration.class);
        verify(px).submitTimer(period.capture(), period.capture(), tick.capture());
        assertEquals(Duration.ofMillis(2), period.getAllValues().get(1));

        assertEquals(1, text(c.initialBytesToSend(ctx, transport)).split("GET ").length - 1, "request 0 is due at once");
        now[0] += 1_000_000L;
        tick.getValue().apply(ctx);                   // nothing due yet
        verify(transport, never()).write(any(Object.class));
        now[0] += 5_000_000L;                         // t = 6 ms: requests 1, 2, 3 are due
        tick.getValue().apply(ctx);
        ArgumentCaptor<Object> written = ArgumentCaptor.forClass(Object.class);
        verify(transport).write(written.capture());
        assertEquals(3, text(written.getValue()).split("GET ").length - 1, text(written.getValue()));

        // The responses arrive at 20 ms: latency counts from each request's intended time (0, 2, 4, 6 ms).
        now[0] += 14_000_000L;
        String four = (OK + OK + OK + OK);
        ByteBuffer next = (ByteBuffer) c.dataReceived(ctx, transport, ascii(four));
        assertEquals(4, text(next).split("GET ").length - 1, "the backlog (8..20 ms) refills the pipeline");
        Histogram h = run.latency.getIntervalHistogram();
        assertEquals(4, h.getTotalCount());
        assertEquals(20_000_000L, h.getMaxValue(), 20_000);
        assertEquals(14_000_000L, h.getMinValue(), 20_000);
        Histogram service = run.service.getIntervalHistogram();
        assertEquals(20_000_000L, service.getMaxValue(), 20_000, "request 0 was sent at 0 ms");
        assertEquals(14_000_000L, service.getMinValue(), 20_000, "requests 1-3 were sent at 6 ms");

        run.stopping = true;
        now[0] += 50_000_000L;
        tick.getValue().apply(ctx);
        verify(transport).write(any(Object.class));   // still just the one write
        c.connectionClosed(ctx, transport);
        verify(timer).cancel();
        assertEquals(0, run.toReopen.get(), "no reconnects once stopping");
        verify(px, never()).client(any(), any());
    }
}

package io.pxj.http;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.testfakes.FakeContext;
import io.pxj.testfakes.FakeTransport;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TechEmpower plaintext path allocates nothing on the heap per request in steady state (the only memory
 * it takes is one arena chunk per read, which the runtime recycles). Measured with the JVM's per-thread
 * allocation counter, with a context whose "arena" hands out one reused buffer.
 */
class PlaintextAllocationTest {
    /** A context whose allocate() returns the same cleared buffer: arena memory without heap objects. */
    static final class ReusingContext extends io.pxj.testfakes.ForwardingContext {
        final ArenaBuffer chunk;

        ReusingContext(FakeContext inner) {
            super(inner);
            chunk = inner.allocate(64 * 1024);
        }

        @Override
        public ArenaBuffer allocate(int size) {
            return chunk.clear();
        }
    }

    @Test
    void plaintextRequestsAllocateNothing() {
        measure(null);
    }

    /** With a listener, both figures are taken per response (the transport's timing calls included). */
    @Test
    void timedPlaintextRequestsAllocateNothing() {
        long[] sum = new long[1];
        measure((request, status, handlerNanos) -> sum[0] += handlerNanos);
    }

    private void measure(RequestListener listener) {
        java.lang.management.ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        assumeTrue(tmx instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) tmx;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(), "allocation counter off");

        HttpServer server = HttpServer.builder().route("/plaintext", TechEmpower.plaintext())
                .route("/json", TechEmpower.json()).listener(listener).build();
        server.date().timerDriven(true); // as under HttpServer.start: no clock read per response
        FakeTransport t = new FakeTransport();
        t.recordTimed = false; // the fake's own list would allocate
        ReusingContext ctx = new ReusingContext(new FakeContext(t));
        HttpProtocol p = (HttpProtocol) server.newProtocol();
        p.connectionMade(ctx, t);
        // 16 pipelined requests per read, as wrk -H pipeline does
        byte[] req = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\nConnection: keep-alive\r\n\r\n"
                .repeat(16).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer receive = ByteBuffer.allocateDirect(64 * 1024);
        receive.put(req).flip();

        Object r = null;
        for (int i = 0; i < 6_000; i++) r = read(p, ctx, t, receive); // warm-up: JIT, LongAdder cells
        int len = ((ArenaBuffer) r).length();
        assertEquals(16 * (len / 16), len);
        assertTrue(((ArenaBuffer) r).toString(StandardCharsets.US_ASCII).endsWith("Hello, World!"));

        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        int reads = 2_000;
        for (int i = 0; i < reads; i++) read(p, ctx, t, receive);
        long bytes = mx.getThreadAllocatedBytes(tid) - before;
        double perRequest = (double) bytes / (reads * 16);
        assertTrue(perRequest < 1.0, "plaintext allocated " + perRequest + " bytes per request (" + bytes + " total)");
    }

    private static Object read(HttpProtocol p, ReusingContext ctx, FakeTransport t, ByteBuffer receive) {
        receive.position(0);
        return p.dataReceived(ctx, t, receive);
    }
}

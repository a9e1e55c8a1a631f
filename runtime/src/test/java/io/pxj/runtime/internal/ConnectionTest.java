package io.pxj.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.Lines;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Transport;
import io.pxj.runtime.internal.FakeBackend.FakeChannel;
import io.pxj.runtime.spi.support.OwnerThread;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The protocol state machine against a scripted channel: no threads, no sockets. */
class ConnectionTest {
    final FakeBackend backend = new FakeBackend();
    final PxCore core = FakeBackend.core(backend);
    final FakeChannel ch = new FakeChannel();
    final List<String> events = new ArrayList<>();

    class P implements Protocol {
        ProtocolOptions options = ProtocolOptions.DEFAULT;
        BiFunction<Transport, ByteBuffer, Object> onData = (t, d) -> null;
        BiFunction<Transport, Long, Object> onSent = (t, id) -> null;
        ParallelContext ctx;
        ArenaBuffer kept;

        @Override public ProtocolOptions options() { return options; }

        @Override
        public void connectionMade(ParallelContext c, Transport t) {
            ctx = c;
            events.add("made");
        }

        @Override
        public Object dataReceived(ParallelContext c, Transport t, ByteBuffer data) {
            return onData.apply(t, data);
        }

        @Override
        public Object linesReceived(ParallelContext c, Transport t, Lines lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.count(); i++) sb.append('[').append(lines.lineString(i, StandardCharsets.US_ASCII)).append(']');
            events.add("lines" + sb);
            return null;
        }

        @Override
        public Object sendComplete(ParallelContext c, Transport t, long id) {
            events.add("sent" + id);
            return onSent.apply(t, id);
        }

        @Override
        public void connectionClosed(ParallelContext c, Transport t) {
            events.add("closed");
        }

        @Override
        public void responseSent(ParallelContext c, Transport t, long startNanos, long sentNanos, int tag) {
            assertTrue(((ContextImpl) c).inCallback(), "responseSent runs in the connection's context");
            timed.add(new long[] {tag, startNanos, sentNanos});
            events.add("timed" + tag);
        }

        @Override
        public void exceptionCaught(ParallelContext c, Transport t, String callback, Throwable cause) {
            events.add("error:" + callback + ":" + cause.getClass().getSimpleName());
        }
    }

    final P p = new P();
    final List<long[]> timed = new ArrayList<>(); // {tag, startNanos, sentNanos} per responseSent

    Connection open() {
        Connection c = new Connection(core, p, p.options, null, null, null);
        c.opened(ch);
        return c;
    }

    @Test
    void zeroCopyEchoHoldsTheNextReadUntilSent() {
        p.onData = (t, d) -> d;
        Connection c = open();
        assertEquals(1, ch.reads);
        ch.deliver(c, "hello");
        assertEquals("hello", ch.lastSent());
        assertFalse(ch.reading(), "no read while the receive buffer is being sent");
        ch.completeSend(c);
        assertTrue(ch.reading());
        assertEquals(List.of("made", "sent1"), events);
        assertEquals(5, c.bytesReceived());
        assertEquals(5, c.bytesSent());
        assertEquals(1, c.sendsCompleted());
    }

    @Test
    void returnTypesAreConverted() {
        List<Object> replies = new ArrayList<>(List.of(
                "héllo".getBytes(StandardCharsets.ISO_8859_1),
                "str€",
                ByteBuffer.wrap("heap".getBytes(StandardCharsets.US_ASCII)),
                new ByteBuffer[] {ByteBuffer.wrap(new byte[] {'a'}), direct("b"), ByteBuffer.wrap(new byte[] {'c'})}));
        p.onData = (t, d) -> replies.remove(0);
        Connection c = open();
        List<String> expected = List.of("h\u00e9llo", new String("str€".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), "heap", "abc");
        for (String want : expected) {
            ch.deliver(c, "x");
            assertEquals(want, ch.lastSent());
            ch.completeSend(c);
        }
        assertEquals(3, ch.lastGatherCount, "heap, direct, heap pieces: three gathered buffers");
    }

    @Test
    void arenaBufferIsSentZeroCopyAndRolledBackAfterTheSend() {
        p.onData = (t, d) -> (p.kept = p.ctx.allocate(16).putAscii("arena"));
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals("arena", ch.lastSent());
        assertTrue(p.kept.isValid(), "pinned until the send completes");
        ch.completeSend(c);
        assertFalse(p.kept.isValid());
    }

    @Test
    void arenaRolledBackAtCallbackEndWhenNothingIsSent() {
        p.onData = (t, d) -> {
            p.kept = p.ctx.allocate(8);
            return null;
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertFalse(p.kept.isValid());
        assertEquals(0, core.arenas.bytesInUse());
    }

    @Test
    void writesAreOrderedBeforeTheReturnValueAndOneSendIsOutstanding() {
        p.onData = (t, d) -> {
            t.write("w1");
            t.write("w2".getBytes(StandardCharsets.US_ASCII));
            return "ret";
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals(List.of("w1w2ret"), ch.sent, "consecutive heap pieces are gathered into one send");
        ch.completeSend(c);
        assertEquals(List.of("made", "sent1", "sent2", "sent3"), events);
    }

    @Test
    void writesFromOtherThreadsAreHandedToTheChannel() {
        Connection c = open();
        c.write("late");
        assertTrue(ch.sent.isEmpty());
        assertEquals(1, ch.tasks.size());
        ch.tasks.poll().run();
        assertEquals("late", ch.lastSent());
    }

    @Test
    void backPressureStopsReadingAboveTheHighWaterMark() {
        p.options = ProtocolOptions.builder().sendHighWaterMark(100).build();
        p.onData = (t, d) -> new byte[150];
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals(150, c.pendingSendBytes());
        assertFalse(ch.reading(), "paused above the high-water mark");
        ch.completeSend(c);
        assertEquals(0, c.pendingSendBytes());
        assertTrue(ch.reading(), "resumed below it");
    }

    @Test
    void largeHeapDataIsStagedInPieces() {
        byte[] big = new byte[150 * 1024];
        java.util.Arrays.fill(big, (byte) 'z');
        p.onData = (t, d) -> big;
        Connection c = open();
        ch.deliver(c, "x");
        int total = 0;
        int sends = 0;
        while (ch.sendPending) {
            total += ch.lastSent().length();
            sends++;
            ch.completeSend(c);
        }
        assertEquals(big.length, total);
        assertEquals(3, sends);
        assertEquals(List.of("made", "sent1"), events, "one sendComplete for the whole write");
    }

    @Test
    void sendCompleteChainsTheNextSend() {
        p.onSent = (t, id) -> id < 3 ? "more" + id : null;
        p.onData = (t, d) -> "first";
        Connection c = open();
        ch.deliver(c, "x");
        ch.completeSend(c);
        assertEquals("more1", ch.lastSent());
        ch.completeSend(c);
        assertEquals("more2", ch.lastSent());
        ch.completeSend(c);
        assertFalse(ch.sendPending);
    }

    @Test
    void gracefulCloseWaitsForPendingSendsAndGoodbyeIsSent() {
        p.onData = (t, d) -> {
            t.close();
            return "bye";
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals("bye", ch.lastSent());
        assertNull(ch.closed);
        ch.completeSend(c);
        assertEquals(Boolean.FALSE, ch.closed);
        c.closed();
        c.closed(); // a second report must not repeat connectionClosed
        assertEquals(List.of("made", "sent1", "closed"), events);
        assertEquals(0, core.stats().connectionsActive());
        assertEquals(0, core.stats().contextsActive());
    }

    @Test
    void abortDropsPendingSends() {
        p.onData = (t, d) -> {
            t.write("a");
            t.abort();
            return "b";
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals(Boolean.TRUE, ch.closed);
        assertTrue(ch.sent.isEmpty());
        assertEquals(0, c.pendingSendBytes());
    }

    @Test
    void callbackExceptionIsCaughtReportedAndClosesOnlyThisConnection() throws Exception {
        p.onData = (t, d) -> {
            throw new IllegalStateException("bug");
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals(List.of("made", "error:dataReceived:IllegalStateException"), events);
        assertEquals(Boolean.FALSE, ch.closed);
        assertEquals(1, core.stats().errors());
        assertEquals(1, backend.main.size(), "the report waits for the main thread");
        backend.main.drain(0);
    }

    @Test
    void unsupportedReturnTypeIsAnError() {
        p.onData = (t, d) -> 42;
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals("error:dataReceived:PxException", events.get(1));
        assertEquals(Boolean.FALSE, ch.closed);
    }

    @Test
    void linesModeJoinsSplitLinesAndClosesOnOverlongLine() {
        p.options = ProtocolOptions.builder().linesMode(true).maxLineLength(8).build();
        Connection c = open();
        ch.deliver(c, "ab\r\ncd");
        ch.deliver(c, "e\nf");
        assertEquals(List.of("made", "lines[ab]", "lines[cde]"), events);
        ch.deliver(c, "123456789");
        assertEquals("error:linesReceived:PxException", events.get(3));
        assertEquals(Boolean.FALSE, ch.closed);
    }

    @Test
    void eofDeliversTheLastLineThenInputShutdownClosesByDefault() {
        p.options = ProtocolOptions.builder().linesMode(true).build();
        Connection c = open();
        ch.deliver(c, "tail");
        ch.readBuf = null;
        ch.leanRead = false;
        c.inputClosed();
        assertEquals(List.of("made", "lines[tail]"), events);
        assertEquals(Boolean.FALSE, ch.closed);
    }

    @Test
    void shutdownOutputAfterPendingSends() {
        p.onData = (t, d) -> {
            t.write("last");
            t.shutdownOutput();
            t.write("dropped");
            return null;
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertFalse(ch.outputShut);
        ch.completeSend(c);
        assertTrue(ch.outputShut);
        assertEquals(List.of("last"), ch.sent);
        assertTrue(ch.reading(), "receiving continues");
    }

    @Test
    void rateLimitSplitsAndDelaysSends() {
        p.options = ProtocolOptions.builder().rateLimitBytesPerSecond(200).build();
        p.onData = (t, d) -> "0123456789abcdefghij0123"; // 24 bytes; 10 per send at 200 B/s
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals("0123456789", ch.lastSent());
        ch.completeSend(c);
        assertFalse(ch.sendPending, "the next piece waits");
        assertEquals(1, ch.timers.size());
        long delay = (long) ch.timers.get(0)[1];
        assertTrue(delay > 0 && delay <= 50_000_000L, "delay " + delay);
    }

    @Test
    void idleTimeoutCloses() throws Exception {
        p.options = ProtocolOptions.builder().idleTimeout(Duration.ofMillis(1)).build();
        Connection c = open();
        assertEquals(1, ch.timers.size());
        Thread.sleep(5);
        ((Runnable) ch.timers.get(0)[0]).run();
        assertEquals(Boolean.FALSE, ch.closed);
    }

    @Test
    void fileRegionWithHeapHeadIsStagedDirect() {
        p.onData = (t, d) -> new FileRegion(ByteBuffer.wrap("HEAD".getBytes(StandardCharsets.US_ASCII)),
                Path.of("/x"), 3, 10, null);
        Connection c = open();
        ch.deliver(c, "x");
        assertNotNull(ch.file);
        ByteBuffer head = (ByteBuffer) ch.file[0];
        assertTrue(head.isDirect());
        assertEquals(4, head.remaining());
        assertEquals(14, c.pendingSendBytes());
        ch.completeSend(c);
        assertEquals(0, c.pendingSendBytes());
    }

    // ------------------------------------------------------------------ response timing

    @Test
    void receivedNanosIsTheReadCompletionsClock() {
        long[] seen = new long[2];
        p.onData = (t, d) -> {
            seen[0] = t.receivedNanos();
            seen[1] = System.nanoTime();
            return null;
        };
        Connection c = open();
        assertEquals(0, c.receivedNanos(), "0 before the first read");
        long before = System.nanoTime();
        ch.deliver(c, "x");
        assertTrue(seen[0] >= before && seen[0] <= seen[1], "taken at the read completion, before the callback");
        assertEquals(seen[0], c.receivedNanos());
    }

    @Test
    void timedResponsesAreReportedWhenTheSendCarryingTheirLastByteCompletes() {
        p.onData = (t, d) -> {
            t.write("aaaa");                 // output bytes 1..4
            t.timeResponse(4, 111, 1);       // ends in the written part
            t.timeResponse(10, 222, 2);      // ends at the end of the returned part
            return "bbbbbb";                 // output bytes 5..10
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals("aaaabbbbbb", ch.lastSent(), "one gathered send");
        assertTrue(timed.isEmpty(), "nothing is reported before the send completes");
        long before = System.nanoTime();
        ch.completeSend(c);
        assertEquals(2, timed.size());
        assertEquals(1, timed.get(0)[0]);
        assertEquals(111, timed.get(0)[1]);
        assertEquals(2, timed.get(1)[0]);
        assertEquals(222, timed.get(1)[1]);
        assertTrue(timed.get(0)[2] >= before, "the send completion's clock");
        assertEquals(timed.get(0)[2], timed.get(1)[2], "one clock read per send completion");
        assertEquals(List.of("made", "timed1", "timed2", "sent1", "sent2"), events, "reported before sendComplete");
    }

    @Test
    void aResponseIsReportedByTheSendThatCarriesItsLastByteNotByAnEarlierOne() {
        byte[] big = new byte[100_000]; // heap data goes out through the 64 KiB staging buffer: two sends
        p.onData = (t, d) -> {
            t.timeResponse(50_000, 1, 1);
            t.timeResponse(100_000, 2, 2);
            return big;
        };
        Connection c = open();
        ch.deliver(c, "x");
        assertEquals(64 * 1024, ch.pendingBytes);
        ch.completeSend(c);
        assertEquals(1, timed.size(), "the first 64 KiB carried the first response's last byte only");
        ch.completeSend(c);
        assertEquals(2, timed.size());
        assertEquals(2, timed.get(1)[0]);
    }

    @Test
    void outputOffsetsCountFromTheRunningCallbacksOutput() {
        List<String> replies = new ArrayList<>(List.of("first", "second"));
        p.onData = (t, d) -> {
            String r = replies.remove(0);
            t.timeResponse(r.length(), r.length(), r.length());
            return r;
        };
        Connection c = open();
        ch.deliver(c, "x");               // "first" in flight
        ch.deliver(c, "y");               // "second" queued behind it
        ch.completeSend(c);
        assertEquals(1, timed.size(), "the first send finishes the first response only");
        assertEquals(5, timed.get(0)[0]);
        ch.completeSend(c);
        assertEquals(2, timed.size());
        assertEquals(6, timed.get(1)[0]);
    }

    @Test
    void aFailedCallbacksTimedResponsesAreNeverReported() {
        p.onData = (t, d) -> {
            t.write("partial");
            t.timeResponse(7, 1, 1);
            throw new IllegalStateException("handler bug");
        };
        Connection c = open();
        ch.deliver(c, "x");
        if (ch.sendPending) ch.completeSend(c);
        assertTrue(timed.isEmpty(), "a throwing callback's output is not its response");
    }

    @Test
    void timeResponseOutsideTheConnectionsCallbacksIsRefused() {
        Connection c = open();
        try {
            c.timeResponse(1, 1, 1);
            throw new AssertionError("expected IllegalStateException");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("own callbacks"), expected.getMessage());
        }
    }

    @Test
    void manyOutstandingTimedResponsesGrowTheRingInOrder() {
        p.onData = (t, d) -> {
            for (int i = 1; i <= 40; i++) t.timeResponse(i, i, i); // 40 one-byte responses in one callback
            return "x".repeat(40);
        };
        Connection c = open();
        ch.deliver(c, "x");
        ch.completeSend(c);
        assertEquals(40, timed.size());
        for (int i = 0; i < 40; i++) assertEquals(i + 1, timed.get(i)[0], "in the order they were timed");
    }

    /** Runs {@code body} on a thread with a counter slot, as an nio event loop runs a connection's events. */
    static void onLoopThread(Runnable body) throws Throwable {
        Throwable[] failure = new Throwable[1];
        Thread t = new OwnerThread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) throw failure[0];
    }

    @Test
    void anIdleConnectionOnALoopHoldsNoWriteEntriesOrTimingsAndTheNextConnectionReusesThem() throws Throwable {
        p.onData = (t, d) -> {
            t.timeResponse(5, 1, 200);
            return "hello";
        };
        onLoopThread(() -> {
            Connection c = open();
            ch.deliver(c, "x");
            assertTrue(c.holdsSendState(), "while its send is in flight");
            ch.completeSend(c);
            assertEquals(List.of("made", "timed200", "sent1"), events);
            assertFalse(c.holdsSendState(), "idle: entries, gather array and timings went back to the loop");
            int kept = core.spares.stash().entryCount();
            assertTrue(kept >= 1, "the loop keeps the entry");

            FakeChannel ch2 = new FakeChannel();
            Connection c2 = new Connection(core, p, p.options, null, null, null);
            c2.opened(ch2);
            ch2.deliver(c2, "y");
            assertEquals(kept - 1, core.spares.stash().entryCount(), "the next connection takes it back");
            ch2.completeSend(c2);
            assertEquals(kept, core.spares.stash().entryCount());
            assertFalse(c2.holdsSendState());
        });
    }

    @Test
    void closingTheRuntimeForgetsTheLoopsSpares() throws Throwable {
        // pooled entries may view arena chunks the closed arena pool no longer accounts for
        p.onData = (t, d) -> (p.kept = p.ctx.allocate(16).putAscii("arena"));
        onLoopThread(() -> {
            Connection c = open();
            ch.deliver(c, "x");
            ch.completeSend(c);
            Spares.Stash before = core.spares.stash();
            assertTrue(before.entryCount() >= 1);
            core.close(Duration.ofMillis(200)); // the fake channel never confirms a close: the result is false
            Spares.Stash after = core.spares.stash();
            assertTrue(after != before, "the stash holding the entries is forgotten");
            assertEquals(0, after.entryCount());
        });
    }

    @Test
    void onAThreadWithoutACounterSlotAConnectionKeepsItsSendState() {
        // the windows backend's pool threads: nothing to hand back to, so the connection keeps what it uses
        p.onData = (t, d) -> {
            t.timeResponse(5, 1, 200);
            return "hello";
        };
        Connection c = open();
        ch.deliver(c, "x");
        ch.completeSend(c);
        assertTrue(c.holdsSendState());
        assertNull(core.spares.stash());
    }

    static ByteBuffer direct(String s) {
        ByteBuffer b = ByteBuffer.allocateDirect(s.length());
        b.put(s.getBytes(StandardCharsets.US_ASCII)).flip();
        return b;
    }
}

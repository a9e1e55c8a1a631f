package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.Lines;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Lines mode: framing across reads, several lines per read, the line-length limit. */
public abstract class LinesBehaviour extends BackendTestSupport {

    /** Collects every line (as a kept copy) and replies with each line upper-cased plus "\n". */
    static class LineCollector extends RecordingProtocol {
        final ProtocolOptions options;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<Boolean> viewsReadOnly = Collections.synchronizedList(new ArrayList<>());
        final List<Boolean> viewsMatchStrings = Collections.synchronizedList(new ArrayList<>());

        LineCollector(int maxLineLength, int receiveBufferSize) {
            options = ProtocolOptions.builder().linesMode(true).maxLineLength(maxLineLength)
                    .receiveBufferSize(receiveBufferSize).build();
        }

        LineCollector() {
            this(8192, 64 * 1024);
        }

        @Override
        public ProtocolOptions options() {
            return options;
        }

        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            throw new AssertionError("dataReceived must not be called in lines mode");
        }

        @Override
        public Object linesReceived(ParallelContext ctx, Transport transport, Lines batch) {
            StringBuilder reply = new StringBuilder();
            for (int i = 0; i < batch.count(); i++) {
                String s = batch.lineString(i, UTF_8);
                ByteBuffer view = batch.line(i);
                viewsReadOnly.add(view.isReadOnly());
                byte[] b = new byte[view.remaining()];
                view.duplicate().get(b);
                viewsMatchStrings.add(new String(b, UTF_8).equals(s));
                lines.add(s);
                reply.append(s.toUpperCase(Locale.ROOT)).append('\n');
            }
            return reply.toString();
        }
    }

    @Test
    void aLineSplitAcrossReadsIsDeliveredOnceCompleteWithoutItsTerminator() throws Exception {
        TrackingFactory<LineCollector> f = TrackingFactory.of(LineCollector::new);
        Server server = server(f);
        try (Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            out.write(ascii("ab"));
            out.flush();
            LineCollector p = f.await(0);
            stays(Duration.ofMillis(150), p.lines::isEmpty, "a partial line is not delivered: " + p.lines);
            out.write(ascii("c\nde"));
            out.flush();
            eventually(() -> p.lines.size() == 1, "first line delivered");
            stays(Duration.ofMillis(100), () -> p.lines.size() == 1, "\"de\" is not a line yet: " + p.lines);
            out.write(ascii("f\r\n"));
            out.flush();
            eventually(() -> p.lines.size() == 2, "second line delivered");
            assertEquals(List.of("abc", "def"), p.lines, "\\n and \\r\\n terminators are stripped");
            assertEquals("ABC\nDEF\n", new String(readExactly(s, 8), UTF_8), "linesReceived's return value is sent");
        }
    }

    @Test
    void manyLinesInOneWriteAreDeliveredInOrderIncludingEmptyLines() throws Exception {
        TrackingFactory<LineCollector> f = TrackingFactory.of(LineCollector::new);
        Server server = server(f);
        List<String> expected = new ArrayList<>();
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String line = i % 100 == 0 ? "" : "line " + i;
            expected.add(line);
            wire.append(line).append(i % 2 == 0 ? "\n" : "\r\n");
        }
        try (Socket s = connect(server)) {
            var written = writeAsync(s, ascii(wire.toString()));
            StringBuilder reply = new StringBuilder();
            for (String l : expected) reply.append(l.toUpperCase(Locale.ROOT)).append('\n');
            byte[] want = ascii(reply.toString());
            assertBytes(want, readExactly(s, want.length), "replies to 1000 lines");
            await(written, "write");
            LineCollector p = f.await(0);
            assertEquals(expected, p.lines, "every line, in order");
            assertTrue(p.viewsReadOnly.stream().allMatch(b -> b), "Lines.line(i) views are read-only");
            assertTrue(p.viewsMatchStrings.stream().allMatch(b -> b), "line(i) and lineString(i) agree");
        }
    }

    @Test
    void aLineLongerThanTheReceiveBufferIsJoined() throws Exception {
        TrackingFactory<LineCollector> f = TrackingFactory.of(() -> new LineCollector(4096, 64));
        Server server = server(f);
        String longLine = "0123456789".repeat(300); // 3000 bytes through a 64-byte receive buffer
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii(longLine + "\nshort\n"));
            byte[] want = ascii(longLine.toUpperCase(Locale.ROOT) + "\nSHORT\n");
            assertBytes(want, readExactly(s, want.length), "reply to the joined line");
            assertEquals(List.of(longLine, "short"), f.await(0).lines);
        }
    }

    @Test
    void aLineOfExactlyMaxLineLengthIsAccepted() throws Exception {
        TrackingFactory<LineCollector> f = TrackingFactory.of(() -> new LineCollector(16, 1024));
        Server server = server(f);
        String sixteen = "abcdefghijklmnop";
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii(sixteen + "\r\n" + sixteen + "\n"));
            byte[] want = ascii((sixteen + "\n").toUpperCase(Locale.ROOT).repeat(2));
            assertBytes(want, readExactly(s, want.length), "16-byte lines with a 16-byte limit");
            LineCollector p = f.await(0);
            assertEquals(List.of(sixteen, sixteen), p.lines);
            assertTrue(p.caught.isEmpty(), "no error for a line at the limit: " + p.caught);
        }
    }

    @Test
    void anOverLongLineIsReportedToExceptionCaughtAndClosesTheConnection() throws Exception {
        TrackingFactory<LineCollector> f = TrackingFactory.of(() -> new LineCollector(16, 1024));
        Server server = server(f);
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("ok\n"));
            assertEquals("OK\n", new String(readExactly(s, 3), UTF_8), "lines before the bad one are served");
            s.getOutputStream().write(ascii("x".repeat(17) + "\nnever\n")); // one over the limit
            awaitPeerClosed(s);
            LineCollector p = f.await(0);
            RecordingProtocol.Caught c = await(p.firstCaught, "exceptionCaught for the over-long line");
            assertNotNull(c.cause(), "exceptionCaught gets a cause");
            await(p.closed, "connectionClosed");
            assertEquals(List.of("ok"), p.lines, "neither the over-long line nor anything after it is delivered");
            assertEquals(1, p.closedCount.get(), "connectionClosed exactly once");
        }
    }

    @Test
    void otherConnectionsKeepWorkingAfterOneSendsAnOverLongLine() throws Exception {
        Server server = server(() -> new LineCollector(16, 1024));
        try (Socket bad = connect(server); Socket good = connect(server)) {
            bad.getOutputStream().write(ascii("y".repeat(1000) + "\n"));
            awaitPeerClosed(bad);
            good.getOutputStream().write(ascii("fine\n"));
            assertEquals("FINE\n", new String(readExactly(good, 5), UTF_8), "the other connection is unaffected");
        }
    }
}

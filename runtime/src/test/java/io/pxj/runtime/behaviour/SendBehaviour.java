package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pxj.runtime.FileRegion;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sends: gathered buffers, initial bytes, sendComplete chains, ordering, zero-copy files. */
public abstract class SendBehaviour extends BackendTestSupport {

    @TempDir
    Path dir;

    /** Records sendComplete ids. */
    static class SendRecorder extends RecordingProtocol {
        final List<Long> sendIds = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) throws Exception {
            sendIds.add(sendId);
            return null;
        }
    }

    @Test
    void returnedByteBufferArrayIsOneGatheredSend() throws Exception {
        TrackingFactory<SendRecorder> f = TrackingFactory.of(() -> new SendRecorder() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                byte[] body = new byte[data.remaining()];
                data.get(body);
                ByteBuffer head = ByteBuffer.allocateDirect(3).put(ascii("<<[")).flip();
                return new ByteBuffer[] {head, ByteBuffer.wrap(body), ByteBuffer.wrap(ascii("]>>"))};
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("one"));
            assertEquals("<<[one]>>", new String(readExactly(s, 9), UTF_8));
            SendRecorder p = f.await(0);
            eventually(() -> p.sendIds.size() == 1, "sendComplete for the gathered send");
            s.getOutputStream().write(ascii("two"));
            assertEquals("<<[two]>>", new String(readExactly(s, 9), UTF_8));
            eventually(() -> p.sendIds.size() == 2, "sendComplete for the second gathered send");
            assertEquals(List.of(1L, 2L), p.sendIds, "each gathered send is one send with one sendComplete");
            assertEquals(2, await(p.made, "made").sendsCompleted(), "transport.sendsCompleted()");
        }
    }

    @Test
    void transportWriteOfSeveralBuffersIsOneGatheredSend() throws Exception {
        TrackingFactory<SendRecorder> f = TrackingFactory.of(() -> new SendRecorder() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                transport.write(ByteBuffer.wrap(ascii("alpha,")), ByteBuffer.wrap(ascii("beta,")),
                        ByteBuffer.allocateDirect(5).put(ascii("gamma")).flip());
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            assertEquals("alpha,beta,gamma", new String(readExactly(s, 16), UTF_8));
            SendRecorder p = f.await(0);
            eventually(() -> p.sendIds.size() == 1, "sendComplete for the gathered write");
            stays(java.time.Duration.ofMillis(100), () -> p.sendIds.size() == 1,
                    "three buffers written together complete as one send, ids " + p.sendIds);
        }
    }

    @Test
    void initialBytesToSendIsSentOnAcceptBeforeAnythingIsReceived() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(() -> new Echo() {
            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                record("initialBytesToSend", ctx);
                return "220 PxJ ready\r\n";
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            assertEquals("220 PxJ ready\r\n", new String(readExactly(s, 15), UTF_8), "banner before any request");
            s.getOutputStream().write(ascii("ping"));
            assertEquals("ping", new String(readExactly(s, 4), UTF_8), "then the connection works normally");
            List<String> ev = f.await(0).events;
            assertEquals(List.of("connectionMade", "initialBytesToSend"), ev.subList(0, 2),
                    "initialBytesToSend follows connectionMade: " + ev);
        }
    }

    @Test
    void writesMadeInACallbackAreSentBeforeItsReturnValue() throws Exception {
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                transport.write("A");
            }

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                return "B";
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                transport.write(ascii("1"));
                transport.write(ByteBuffer.wrap(ascii("2")));
                transport.write(ctx.allocate(1).putAscii("3"));
                return "4";
            }
        });
        try (Socket s = connect(server)) {
            assertEquals("AB", new String(readExactly(s, 2), UTF_8), "connectionMade's write, then initial bytes");
            s.getOutputStream().write(1);
            assertEquals("1234", new String(readExactly(s, 4), UTF_8), "writes in order, then the return value");
        }
    }

    @Test
    void writesFromAnotherThreadAreSentInOrder() throws Exception {
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(RecordingProtocol::new);
        Server server = server(f);
        try (Socket s = connect(server)) {
            Transport t = await(f.await(0).made, "connectionMade");
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                String m = "m" + i + ";";
                expected.append(m);
                t.write(m); // from the test thread: handed to the connection's owner, in order
            }
            byte[] want = ascii(expected.toString());
            assertBytes(want, readExactly(s, want.length), "500 writes from a foreign thread");
        }
    }

    /** Chargen: each sendComplete returns the next chunk until N sends, then closes. */
    @ParameterizedTest(name = "chunks as {0}")
    @ValueSource(strings = {"byte[]", "ArenaBuffer"})
    void sendCompleteChainStreamsUntilItStops(String kind) throws Exception {
        final int n = 64;
        TrackingFactory<SendRecorder> f = TrackingFactory.of(() -> new SendRecorder() {
            Object chunk(ParallelContext ctx, long i) {
                String line = String.format("%04d %s\n", i, "0123456789abcdefghijklmnopqrstuvwxyz".repeat(30));
                return kind.equals("byte[]") ? ascii(line) : ctx.allocate(line.length()).putAscii(line);
            }

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                return chunk(ctx, 0);
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) throws Exception {
                super.sendComplete(ctx, transport, sendId);
                if (sendId < n) return chunk(ctx, sendId);
                transport.close();
                return null;
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            byte[] got = readToEof(s);
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++)
                want.write(ascii(String.format("%04d %s\n", i, "0123456789abcdefghijklmnopqrstuvwxyz".repeat(30))));
            assertBytes(want.toByteArray(), got, "chargen stream of " + n + " chunks then close");
            SendRecorder p = f.await(0);
            await(p.closed, "connectionClosed");
            assertEquals(LongStream.rangeClosed(1, n).boxed().toList(), p.sendIds, "sendIds 1..N in order");
            Transport t = await(p.made, "made");
            assertEquals(n, t.sendsCompleted(), "transport.sendsCompleted()");
            assertEquals(want.size(), t.bytesSent(), "transport.bytesSent()");
        }
    }

    private Path tempFile(int size, long seed) throws Exception {
        Path file = dir.resolve("data-" + seed + ".bin");
        Files.write(file, randomBytes(size, seed));
        return file;
    }

    private void assertFileSend(Path file, long offset, long length, boolean viaFileRegion) throws Exception {
        TrackingFactory<SendRecorder> f = TrackingFactory.of(() -> new SendRecorder() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                if (viaFileRegion) transport.write(FileRegion.of(file, offset, length));
                else transport.writeFile(file, offset, length);
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) throws Exception {
                super.sendComplete(ctx, transport, sendId);
                transport.close();
                return null;
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            byte[] got = readToEof(s);
            byte[] all = Files.readAllBytes(file);
            assertEquals(length, got.length, "bytes of the file region received");
            assertEquals(sha256(all, (int) offset, (int) length), sha256(got),
                    "SHA-256 of bytes [" + offset + ", " + (offset + length) + ") of the file");
            assertEquals(List.of(1L), f.await(0).sendIds, "a file send is one send");
        }
    }

    @Test
    void writeFileSendsAWholeFileHashExact() throws Exception {
        Path file = tempFile(3 * 1024 * 1024 + 17, 1);
        assertFileSend(file, 0, Files.size(file), false);
    }

    @Test
    void writeFileSendsARangeHashExact() throws Exception {
        Path file = tempFile(2 * 1024 * 1024, 2);
        assertFileSend(file, 123_457, 1_000_003, false);
    }

    @Test
    void fileRegionWrittenThroughTransportWriteSendsItsRange() throws Exception {
        Path file = tempFile(300_000, 3);
        assertFileSend(file, 299_000, 1000, true);
    }

    @Test
    void returnedFileRegionSendsHeadFileRangeAndTail() throws Exception {
        Path file = tempFile(100_000, 4);
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                return new FileRegion(ByteBuffer.wrap(ascii("HEAD\n")), file, 10, 50_000,
                        ByteBuffer.allocateDirect(5).put(ascii("\nTAIL")).flip());
            }
        });
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("GET"));
            byte[] got = readExactly(s, 5 + 50_000 + 5);
            byte[] all = Files.readAllBytes(file);
            assertEquals("HEAD\n", new String(got, 0, 5, UTF_8), "head first");
            assertEquals(sha256(all, 10, 50_000), sha256(got, 5, 50_000), "then the file range");
            assertEquals("\nTAIL", new String(got, 50_005, 5, UTF_8), "then the tail");
            // and the connection stays usable for a second request
            s.getOutputStream().write(ascii("GET"));
            byte[] again = readExactly(s, 50_010);
            assertEquals(sha256(got), sha256(again), "second response identical");
        }
    }

    @Test
    void emptyFileRegionSendsOnlyHeadAndTail() throws Exception {
        Path file = tempFile(10, 5);
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                return new FileRegion(ByteBuffer.wrap(ascii("[")), file, 3, 0, ByteBuffer.wrap(ascii("]")));
            }
        });
        try (Socket s = connect(server)) {
            s.getOutputStream().write(1);
            assertEquals("[]", new String(readExactly(s, 2), UTF_8));
            s.getOutputStream().write(1);
            assertEquals("[]", new String(readExactly(s, 2), UTF_8), "nothing of the file in between");
        }
    }

    @Test
    void returningTheReceivedBufferEchoesItAndLaterReadsDoNotCorruptIt() throws Exception {
        // Zero-copy echo: the receive buffer must not be reused for the next read before its send completes.
        Server server = server(Echo::new);
        byte[][] msgs = new byte[50][];
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < msgs.length; i++) {
            msgs[i] = randomBytes(40_000 + i * 1000, 100 + i);
            all.write(msgs[i]);
        }
        byte[] want = all.toByteArray();
        try (Socket s = connect(server)) {
            var written = writeAsync(s, want);
            byte[] got = readExactly(s, want.length);
            await(written, "writes");
            assertBytes(want, got, "back-to-back echoes of " + Arrays.stream(msgs).mapToInt(m -> m.length).sum()
                    + " bytes");
        }
    }
}

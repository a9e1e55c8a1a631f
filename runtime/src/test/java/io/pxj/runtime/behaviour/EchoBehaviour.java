package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Echo servers: correctness at every message size, every return type, many concurrent clients. */
public abstract class EchoBehaviour extends BackendTestSupport {

    @Test
    void echoesOneClient() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("hello, parallel world"));
            assertEquals("hello, parallel world", new String(readExactly(s, 21), UTF_8));
            Echo p = f.await(0);
            Transport t = await(p.made, "connectionMade");
            assertEquals(server.localAddress().getPort(), t.localAddress().getPort(), "transport.localAddress port");
            assertEquals(s.getLocalPort(), t.remoteAddress().getPort(), "transport.remoteAddress is the client");
            assertFalse(t.isClient(), "a server-side transport is not a client");
            assertTrue(t.isOpen(), "transport open while the client is connected");
            assertTrue(isPoolThread(p.threads.get(0)), "callbacks run on pxj pool threads, not " + p.threads.get(0));
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 2, 7, 1460, 65_535, 65_536, 65_537, 262_144, 1_048_576})
    void echoesMessagesByteExactFromOneByteToOneMegabyte(int size) throws Exception {
        Server server = server(Echo::new);
        byte[] msg = randomBytes(size, size);
        try (Socket s = connect(server)) {
            var written = writeAsync(s, msg);
            byte[] back = readExactly(s, size);
            await(written, "client write of " + size + " bytes");
            assertBytes(msg, back, "echo of " + size + " bytes");
        }
    }

    @Test
    void echoesManyPipelinedMessagesInOrderOnOneConnection() throws Exception {
        Server server = server(Echo::new);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 2000; i++) all.append("message-").append(i).append(';');
        byte[] expected = ascii(all.toString());
        try (Socket s = connect(server)) {
            var written = writeAsync(s, expected);
            byte[] back = readExactly(s, expected.length);
            await(written, "pipelined writes");
            assertBytes(expected, back, "2000 pipelined messages echoed in order");
        }
    }

    /** Every return type the Protocol contract lists, each turned into the same upper-cased reply. */
    @ParameterizedTest(name = "returns {0}")
    @ValueSource(strings = {"byte[]", "heap ByteBuffer", "direct ByteBuffer", "ArenaBuffer", "String",
            "StringBuilder"})
    void sendsEveryDocumentedReturnType(String kind) throws Exception {
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                byte[] in = new byte[data.remaining()];
                data.get(in);
                String up = new String(in, UTF_8).toUpperCase(Locale.ROOT);
                byte[] out = up.getBytes(UTF_8);
                return switch (kind) {
                    case "byte[]" -> out;
                    case "heap ByteBuffer" -> ByteBuffer.wrap(out);
                    case "direct ByteBuffer" -> ByteBuffer.allocateDirect(out.length).put(out).flip();
                    case "ArenaBuffer" -> ctx.allocate(out.length).put(out);
                    case "String" -> up;
                    case "StringBuilder" -> new StringBuilder(up);
                    default -> throw new IllegalArgumentException(kind);
                };
            }
        });
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("x"));
            assertEquals("X", new String(readExactly(s, 1), UTF_8), kind + " reply");
            s.getOutputStream().write(ascii("abc"));
            assertEquals("ABC", new String(readExactly(s, 3), UTF_8), kind + " reply");
        }
    }

    @Test
    void arenaBufferBuiltWithPutHelpersIsSentAsWritten() throws Exception {
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                ArenaBuffer b = ctx.allocate(256);
                b.putAscii("len=").putDecimal(data.remaining()).put((byte) ' ').putUtf8("é").put(new byte[] {'!'})
                        .put(ByteBuffer.wrap(new byte[] {'\n'}));
                return b;
            }
        });
        try (Socket s = connect(server)) {
            s.getOutputStream().write(new byte[] {1, 2, 3, 4, 5});
            byte[] expected = "len=5 é!\n".getBytes(UTF_8);
            assertEquals("len=5 é!\n", new String(readExactly(s, expected.length), UTF_8));
        }
    }

    @Test
    void echoesOneThousandConcurrentClients() throws Exception {
        Assumptions.assumeFalse(tls(), "plaintext non-blocking test sockets; over TLS the other tests cover echo");
        final int clients = 1000;
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        InetSocketAddress addr = server.localAddress();
        Selector sel = closeLater(Selector.open());
        List<SocketChannel> chans = new ArrayList<>(clients);
        byte[][] msgs = new byte[clients][];
        ByteBuffer[] out = new ByteBuffer[clients];
        ByteBuffer[] in = new ByteBuffer[clients];
        int connectedAtOnce = 0;
        for (int i = 0; i < clients; i++) {
            SocketChannel ch = SocketChannel.open();
            closeLater(ch);
            ch.configureBlocking(false);
            boolean now = ch.connect(addr);
            chans.add(ch);
            msgs[i] = ascii("client " + i + " says " + "x".repeat(i % 97) + "\n");
            out[i] = ByteBuffer.wrap(msgs[i]);
            in[i] = ByteBuffer.allocate(msgs[i].length);
            ch.register(sel, now ? 0 : SelectionKey.OP_CONNECT, i);
            if (now) connectedAtOnce++;
        }
        // Phase 1: all connected at once (the server sees 1000 open connections).
        long deadline = System.nanoTime() + WAIT.toNanos();
        int connected = connectedAtOnce;
        while (connected < clients) {
            assertTrue(System.nanoTime() < deadline, "only " + connected + " of " + clients + " connects finished");
            sel.select(100);
            for (SelectionKey k : sel.selectedKeys()) {
                if (k.isConnectable() && ((SocketChannel) k.channel()).finishConnect()) {
                    k.interestOps(0);
                    connected++;
                }
            }
            sel.selectedKeys().clear();
        }
        eventually(() -> server.activeConnections() == clients,
                "server.activeConnections() == " + clients + " (is " + server.activeConnections() + ")");
        // Phase 2: every client writes its message and reads its echo.
        for (SelectionKey k : sel.keys()) k.interestOps(SelectionKey.OP_WRITE);
        int done = 0;
        deadline = System.nanoTime() + WAIT.toNanos();
        while (done < clients) {
            assertTrue(System.nanoTime() < deadline, "only " + done + " of " + clients + " echoes complete");
            sel.select(100);
            for (SelectionKey k : sel.selectedKeys()) {
                int i = (Integer) k.attachment();
                SocketChannel ch = (SocketChannel) k.channel();
                if (k.isValid() && k.isWritable()) {
                    ch.write(out[i]);
                    if (!out[i].hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                } else if (k.isValid() && k.isReadable()) {
                    int r = ch.read(in[i]);
                    assertTrue(r >= 0, "client " + i + " got EOF after " + in[i].position() + " bytes");
                    if (!in[i].hasRemaining()) {
                        assertBytes(msgs[i], in[i].array(), "echo for client " + i);
                        k.cancel();
                        done++;
                    }
                }
            }
            sel.selectedKeys().clear();
        }
        for (SocketChannel ch : chans) ch.close();
        eventually(() -> server.activeConnections() == 0,
                "server.activeConnections() back to 0 (is " + server.activeConnections() + ")");
        assertEquals(clients, server.acceptedConnections(), "server.acceptedConnections()");
        assertEquals(clients, f.created.size(), "one protocol instance per connection");
        eventually(() -> f.created.stream().allMatch(p -> p.closedCount.get() == 1),
                "connectionClosed exactly once for each of the " + clients + " connections");
    }

    @Test
    void eachConnectionGetsItsOwnProtocolAndContextAndIdleClientsDoNotBlockOthers() throws Exception {
        TrackingFactory<Echo> f = TrackingFactory.of(Echo::new);
        Server server = server(f);
        try (Socket idle = connect(server); Socket a = connect(server); Socket b = connect(server)) {
            a.getOutputStream().write(ascii("a"));
            b.getOutputStream().write(ascii("b"));
            assertEquals("b", new String(readExactly(b, 1), UTF_8));
            assertEquals("a", new String(readExactly(a, 1), UTF_8));
            idle.getOutputStream().write(ascii("z"));
            assertEquals("z", new String(readExactly(idle, 1), UTF_8), "the idle client still works");
            assertEquals(3, f.created.size(), "one protocol per connection");
            List<Long> ids = new ArrayList<>();
            List<Long> ctxIds = new ArrayList<>();
            for (Echo p : f.created) {
                ids.add(await(p.made, "connectionMade").id());
                ctxIds.add(p.contextId);
            }
            assertEquals(3, ids.stream().distinct().count(), "transport ids are unique: " + ids);
            assertEquals(3, ctxIds.stream().distinct().count(), "live connections have distinct contexts: " + ctxIds);
        }
    }
}

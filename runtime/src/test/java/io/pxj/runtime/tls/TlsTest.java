package io.pxj.runtime.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import io.pxj.runtime.behaviour.TlsTestSupport;
import io.pxj.testfakes.LivePx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end on the nio backend: what the protocol sees (SNI, ALPN, version), HTTPS with files, clients with
 * hostname verification, and every kind of hostile or broken peer, each of which must end in a closed connection
 * and a counter while another client keeps being served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private LivePx<Server> live;

    @AfterEach
    void stop() throws Exception {
        if (live != null) {
            live.close();
        }
    }

    /** An echo server over TLS that remembers the TlsInfo its last connection saw. */
    private static final class InfoEcho implements Protocol {
        private final ProtocolOptions options;
        private final CompletableFuture<TlsInfo> seen;

        InfoEcho(TlsConfig tls, CompletableFuture<TlsInfo> seen) {
            this.options = ProtocolOptions.builder().tls(tls).build();
            this.seen = seen;
        }

        @Override
        public ProtocolOptions options() {
            return options;
        }

        @Override
        public void connectionMade(ParallelContext ctx, Transport transport) {
            seen.complete(transport.tls());
        }

        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            return data;
        }
    }

    /** What the first connection's protocol saw of its TLS session. */
    private final CompletableFuture<TlsInfo> seen = new CompletableFuture<>();

    private Server echoServer(TlsConfig tls) throws Exception {
        live = LivePx.start(Px.builder().backend("nio").threads(2),
                px -> px.server(new InetSocketAddress(LOOPBACK, 0), () -> new InfoEcho(tls, seen)));
        return live.value();
    }

    private static SSLSocket tlsSocket(Server server, String... protocols) throws IOException {
        Socket plain = new Socket(LOOPBACK, server.localAddress().getPort());
        plain.setSoTimeout(15_000);
        SSLSocket s = (SSLSocket) TlsTestSupport.cert().clientContext().getSocketFactory().createSocket(plain,
                "localhost", server.localAddress().getPort(), true);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        return s;
    }

    private static void assertEchoes(Server server) throws IOException {
        try (SSLSocket s = tlsSocket(server)) {
            s.getOutputStream().write("still served".getBytes(US_ASCII));
            assertEquals("still served", new String(s.getInputStream().readNBytes(12), US_ASCII));
        }
    }

    /** Reads until EOF or reset; fails when the server keeps the connection open. */
    private static void assertClosedByServer(Socket s) throws IOException {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        byte[] b = new byte[4096];
        try {
            while (in.read(b) >= 0) {
                // discard the alert, if any
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        } catch (IOException e) {
            // a reset is a close too
        }
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void theProtocolSeesSniAlpnVersionAndCipher() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).applicationProtocols("http/1.1")
                .build();
        Server server = echoServer(tls);
        try (SSLSocket s = tlsSocket(server)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("localhost")));
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.getOutputStream().write('x');
            assertEquals('x', s.getInputStream().read());
            TlsInfo info = seen.get(15, TimeUnit.SECONDS);
            assertEquals("TLSv1.3", info.protocol());
            assertEquals("http/1.1", info.applicationProtocol());
            assertEquals("localhost", info.serverName());
            assertEquals(s.getSession().getCipherSuite(), info.cipherSuite());
        }
        assertEquals(1L, tls.stats().protocols().get("TLSv1.3"));
    }

    @Test
    void anIdleConnectionAfterItsHandshakeHoldsOnlyItsCiphertextBuffer() throws Exception {
        Server server = echoServer(TlsConfig.server(TlsTestSupport.cert().serverContext()).build());
        assertEchoes(server);
        Px px = live.px();
        long before = px.stats().directBytesInUse();
        java.util.List<SSLSocket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                SSLSocket s = tlsSocket(server);
                s.startHandshake();
                idle.add(s);
            }
            // Each holds its ciphertext buffer (about 20 KiB): not also the handshake's plaintext scratch, nor a
            // receive buffer of the connection's own.
            long perConnection = 24 << 10;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (px.stats().directBytesInUse() - before > 8 * perConnection && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long held = px.stats().directBytesInUse() - before;
            assertTrue(held <= 8 * perConnection, "8 idle TLS connections hold " + held + " B of direct memory");
            SSLSocket last = idle.get(7);
            last.getOutputStream().write("after idling".getBytes(US_ASCII));
            assertEquals("after idling", new String(last.getInputStream().readNBytes(12), US_ASCII));
        } finally {
            for (SSLSocket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void handshakesBeyondMaxHandshakesAreRefusedAndCounted() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).maxHandshakes(2).build();
        Server server = echoServer(tls);
        Socket stalled1 = new Socket(LOOPBACK, server.localAddress().getPort());
        Socket stalled2 = new Socket(LOOPBACK, server.localAddress().getPort());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tls.stats().handshakesInProgress() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, tls.stats().handshakesInProgress(), tls.stats().toString());
            try (SSLSocket third = tlsSocket(server)) {
                assertThrows(IOException.class, third::startHandshake, "a third handshake is refused");
            }
            assertEquals(1, tls.stats().handshakesRefused(), tls.stats().toString());
        } finally {
            stalled1.close();
            stalled2.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tls.stats().handshakesInProgress() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEchoes(server); // the stalled ones gone, handshakes are admitted again
        assertEquals(0, tls.stats().handshakesInProgress(), tls.stats().toString());
    }

    @Test
    void tls12IsSpokenAndOlderVersionsAreRefused() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(tls);
        try (SSLSocket s = tlsSocket(server, "TLSv1.2")) {
            s.getOutputStream().write('y');
            assertEquals('y', s.getInputStream().read());
            assertEquals("TLSv1.2", s.getSession().getProtocol());
        }
        try (SSLSocket old = tlsSocket(server, "TLSv1.1", "TLSv1")) {
            assertThrows(IOException.class, old::startHandshake, "TLS 1.0/1.1 must be refused");
        } catch (IllegalArgumentException e) {
            // this JDK cannot even enable them: refused on the client side
        }
        assertEchoes(server);
        assertEquals(0, tls.stats().renegotiationsRefused(), "a TLS 1.2 close_notify is no renegotiation");
        assertThrows(IllegalArgumentException.class, () -> TlsConfig.server(tls.context()).protocols("TLSv1.1"));
    }

    @Test
    void aTls12SessionIsResumedAsTheJdkProvides() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(tls);
        javax.net.ssl.SSLSocketFactory client = TlsTestSupport.cert().clientContext().getSocketFactory();
        long[] created = new long[2];
        for (int i = 0; i < 2; i++) {
            Socket plain = new Socket(LOOPBACK, server.localAddress().getPort());
            try (SSLSocket s = (SSLSocket) client.createSocket(plain, "localhost", server.localAddress().getPort(),
                    true)) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.getOutputStream().write('s');
                assertEquals('s', s.getInputStream().read());
                created[i] = s.getSession().getCreationTime();
            }
            Thread.sleep(20);
        }
        assertEquals(created[0], created[1], "the second connection resumes the first one's session");
        assertEquals(2, tls.stats().handshakesCompleted());
    }

    @Test
    void renegotiationIsRefusedWithACounter() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(tls);
        try (SSLSocket s = tlsSocket(server, "TLSv1.2")) {
            s.getOutputStream().write('z');
            assertEquals('z', s.getInputStream().read());
            try {
                s.startHandshake(); // a second handshake: renegotiation
                s.getOutputStream().write('z');
                s.getInputStream().read();
            } catch (IOException expected) {
                // closed by the server
            }
            if (!s.isClosed()) {
                assertClosedByServer(s);
            }
        }
        eventually(() -> tls.stats().renegotiationsRefused() == 1, "renegotiationsRefused == 1: " + tls.stats());
        assertEchoes(server);
    }

    @Test
    void garbageAndPlainHttpAreClosedAndCounted() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(tls);
        byte[] garbage = new byte[2000];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x42;
        for (byte[] junk : List.of(garbage, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII))) {
            try (Socket s = new Socket(LOOPBACK, server.localAddress().getPort())) {
                s.getOutputStream().write(junk);
                assertClosedByServer(s);
            }
            assertEchoes(server);
        }
        eventually(() -> tls.stats().notTls() == 2, "notTls == 2: " + tls.stats());
        assertEquals(2, tls.stats().handshakesFailed());
    }

    @Test
    void anOversizedRecordClosesTheConnectionAndIsCounted() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(tls);
        try (Socket plain = new Socket(LOOPBACK, server.localAddress().getPort())) {
            SSLSocket s = (SSLSocket) TlsTestSupport.cert().clientContext().getSocketFactory().createSocket(plain,
                    "localhost", server.localAddress().getPort(), false);
            s.getOutputStream().write('r');
            assertEquals('r', s.getInputStream().read());
            byte[] record = new byte[5 + 4000]; // application data, TLS 1.2 header, 64 KiB - 1 announced
            record[0] = 23;
            record[1] = 3;
            record[2] = 3;
            record[3] = (byte) 0xFF;
            record[4] = (byte) 0xFF;
            plain.getOutputStream().write(record);
            assertClosedByServer(plain);
        }
        eventually(() -> tls.stats().recordsTooLarge() == 1, "recordsTooLarge == 1: " + tls.stats());
        assertEchoes(server);
    }

    @Test
    void aTruncatedHandshakeIsClosedAndCounted() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(tls);
        byte[] hello = clientHelloPrefix(server);
        try (Socket s = new Socket(LOOPBACK, server.localAddress().getPort())) {
            s.getOutputStream().write(hello, 0, hello.length / 2);
            s.shutdownOutput();
            assertClosedByServer(s);
        }
        eventually(() -> tls.stats().truncatedHandshakes() == 1, "truncated == 1: " + tls.stats());
        assertEchoes(server);
    }

    @Test
    void aStalledHandshakeTimesOutWhileOthersAreServed() throws Exception {
        TlsConfig tls = TlsConfig.server(TlsTestSupport.cert().serverContext())
                .handshakeTimeout(Duration.ofMillis(700)).build();
        Server server = echoServer(tls);
        byte[] hello = clientHelloPrefix(server);
        try (Socket stalled = new Socket(LOOPBACK, server.localAddress().getPort())) {
            stalled.getOutputStream().write(hello, 0, 20); // and nothing more: slowloris for TLS
            assertEchoes(server);
            assertClosedByServer(stalled);
        }
        eventually(() -> tls.stats().handshakesTimedOut() == 1, "timedOut == 1: " + tls.stats());
        assertEquals(0, server.activeConnections());
    }

    @Test
    void aClientWithHostnameVerificationConnectsAndRefusesAWrongName() throws Exception {
        TlsConfig serverTls = TlsConfig.server(TlsTestSupport.cert().serverContext()).build();
        Server server = echoServer(serverTls);
        Px px = live.px();
        CompletableFuture<String> reply = new CompletableFuture<>();
        TlsConfig good = TlsConfig.client(TlsTestSupport.cert().clientContext()).build();
        px.client(server.localAddress(), new Protocol() {
            @Override
            public ProtocolOptions options() {
                return ProtocolOptions.builder().tls(good).build();
            }

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
                return "over tls";
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                reply.complete(new String(b, US_ASCII));
                transport.close();
                return null;
            }
        });
        assertEquals("over tls", reply.get(15, TimeUnit.SECONDS));
        assertEquals(1, good.stats().handshakesCompleted());

        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        TlsConfig wrongName = TlsConfig.client(TlsTestSupport.cert().clientContext()).serverName("wrong.example")
                .build();
        px.client(server.localAddress(), new Protocol() {
            @Override
            public ProtocolOptions options() {
                return ProtocolOptions.builder().tls(wrongName).build();
            }

            @Override
            public void connectFailed(ParallelContext ctx, InetSocketAddress remote, Throwable cause) {
                failed.complete(cause);
            }
        });
        Throwable cause = failed.get(15, TimeUnit.SECONDS);
        assertTrue(cause instanceof SSLException, "hostname mismatch fails the handshake: " + cause);
        assertEquals(1, wrongName.stats().handshakesFailed());
        assertEchoes(server);
    }

    @Test
    void httpsServesRoutesCachedAndUncachedFiles(@TempDir Path dir) throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        HttpServer http = HttpServer.builder().tls(TlsTestSupport.cert().serverContext())
                .route("/plaintext", TechEmpower.plaintext())
                .staticFiles("/files/", dir).build();
        LivePx<HttpServer.Running> web = LivePx.start(Px.builder().backend("nio").threads(2),
                px -> http.start(px, new InetSocketAddress(LOOPBACK, 0)));
        try {
            Server server = web.value().server();
            for (int i = 0; i < 2; i++) {
                try (SSLSocket s = tlsSocket(server)) {
                    SSLParameters p = s.getSSLParameters();
                    p.setApplicationProtocols(new String[] {"http/1.1"});
                    s.setSSLParameters(p);
                    OutputStream out = s.getOutputStream();
                    out.write(("GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\nGET /files/big.bin HTTP/1.1\r\n"
                            + "Host: localhost\r\nConnection: close\r\n\r\n").getBytes(US_ASCII));
                    byte[] all = readToEof(s.getInputStream());
                    String text = new String(all, 0, Math.min(all.length, 400), US_ASCII);
                    assertTrue(text.startsWith("HTTP/1.1 200"), text);
                    assertTrue(text.contains("Hello, World!"), text);
                    byte[] tail = java.util.Arrays.copyOfRange(all, all.length - big.length, all.length);
                    assertArrayEquals(big, tail, "the file arrives intact over TLS");
                    assertEquals("http/1.1", s.getApplicationProtocol());
                }
            }
            assertEquals(2, http.tls().stats().handshakesCompleted());
        } finally {
            web.close();
        }
    }

    private static byte[] readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /** The first bytes a real TLS client sends: its ClientHello, captured from a JDK client. */
    private static byte[] clientHelloPrefix(Server unused) throws Exception {
        try (java.net.ServerSocket capture = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try (Socket in = capture.accept()) {
                    in.setSoTimeout(10_000);
                    byte[] b = new byte[200];
                    int n = in.getInputStream().readNBytes(b, 0, b.length);
                    return java.util.Arrays.copyOf(b, n);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket plain = new Socket(LOOPBACK, capture.getLocalPort());
                 SSLSocket s = (SSLSocket) TlsTestSupport.cert().clientContext().getSocketFactory()
                         .createSocket(plain, "localhost", capture.getLocalPort(), true)) {
                s.setSoTimeout(200);
                try {
                    s.startHandshake();
                } catch (IOException expected) {
                    // nobody answers
                }
            }
            byte[] hello = got.get(15, TimeUnit.SECONDS);
            assertEquals(22, hello[0], "a TLS handshake record");
            return hello;
        }
    }
}

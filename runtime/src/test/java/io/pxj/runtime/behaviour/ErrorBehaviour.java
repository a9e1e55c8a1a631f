package io.pxj.runtime.behaviour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors never escape a callback: they are caught, counted, reported, and close only their own connection. */
public abstract class ErrorBehaviour extends BackendTestSupport {

    /** Echo that throws from the callback named {@code where} (dataReceived: only for the payload "boom"). */
    static final class Thrower extends Echo {
        final String where;
        final RuntimeException error;

        Thrower(String where) {
            this.where = where;
            this.error = new IllegalStateException("thrown on purpose from " + where);
        }

        @Override
        public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
            super.connectionMade(ctx, transport);
            if (where.equals("connectionMade")) throw error;
        }

        @Override
        public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
            if (where.equals("initialBytesToSend")) throw error;
            return where.equals("sendComplete") ? "hi" : null;
        }

        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) throws Exception {
            if (where.equals("dataReceived") && UTF_8.decode(data.duplicate()).toString().equals("boom")) throw error;
            return super.dataReceived(ctx, transport, data);
        }

        @Override
        public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
            if (where.equals("sendComplete")) throw error;
            return null;
        }

        @Override
        public void inputShutdown(ParallelContext ctx, Transport transport) throws Exception {
            if (where.equals("inputShutdown")) throw error;
            super.inputShutdown(ctx, transport);
        }
    }

    @ParameterizedTest(name = "throwing {0}")
    @ValueSource(strings = {"connectionMade", "initialBytesToSend", "dataReceived", "sendComplete", "inputShutdown"})
    void aThrowingCallbackIsReportedWithItsNameAndClosesItsConnection(String where) throws Exception {
        long errorsBefore = px.stats().errors();
        TrackingFactory<Thrower> f = TrackingFactory.of(() -> new Thrower(where));
        Server server = server(f);
        try (Socket s = connect(server)) {
            if (where.equals("dataReceived")) s.getOutputStream().write(ascii("boom"));
            if (where.equals("inputShutdown")) s.shutdownOutput();
            awaitPeerClosed(s);
            Thrower p = f.await(0);
            RecordingProtocol.Caught c = await(p.firstCaught, "exceptionCaught");
            assertEquals(where, c.callback(), "exceptionCaught names the callback");
            assertSame(p.error, c.cause(), "exceptionCaught gets the thrown exception");
            assertTrue(isPoolThread(c.thread()), "exceptionCaught runs on a pool thread");
            await(p.closed, "connectionClosed");
            stays(Duration.ofMillis(100), () -> p.closedCount.get() == 1, "connectionClosed exactly once");
            assertEquals(1, p.caught.size(), "exceptionCaught once: " + p.caught);
            eventually(() -> px.stats().errors() > errorsBefore, "stats().errors counts it");
        }
    }

    @Test
    void aThrowingDataReceivedClosesOnlyItsOwnConnection() throws Exception {
        TrackingFactory<Thrower> f = TrackingFactory.of(() -> new Thrower("dataReceived"));
        Server server = server(f);
        try (Socket good = connect(server); Socket bad = connect(server)) {
            good.getOutputStream().write(ascii("one"));
            assertEquals("one", new String(readExactly(good, 3), UTF_8));
            bad.getOutputStream().write(ascii("boom"));
            awaitPeerClosed(bad);
            for (int i = 0; i < 20; i++) {
                good.getOutputStream().write(ascii("m" + (i % 10)));
                assertEquals("m" + (i % 10), new String(readExactly(good, 2), UTF_8), "the other connection works");
            }
            try (Socket later = connect(server)) {
                later.getOutputStream().write(ascii("new"));
                assertEquals("new", new String(readExactly(later, 3), UTF_8), "the server keeps accepting");
            }
            long closedWithError = f.created.stream().filter(p -> !p.caught.isEmpty()).count();
            assertEquals(1, closedWithError, "only the throwing connection saw exceptionCaught");
            assertTrue(px.stats().threads() >= THREADS, "no pool thread was lost: " + px.stats().threads());
        }
    }

    @Test
    void manyFailuresDoNotExhaustThePool() throws Exception {
        Server server = server(() -> new Thrower("dataReceived"));
        for (int i = 0; i < 50; i++) {
            try (Socket s = connect(server)) {
                s.getOutputStream().write(ascii("boom"));
                awaitPeerClosed(s);
            }
        }
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("fine"));
            assertEquals("fine", new String(readExactly(s, 4), UTF_8), "still serving after 50 failures");
        }
        eventually(() -> px.stats().errors() >= 50, "50 errors counted (" + px.stats().errors() + ")");
    }

    @Test
    void anUnsupportedReturnTypeIsAnErrorReportedToExceptionCaught() throws Exception {
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                return Integer.valueOf(42);
            }
        });
        Server server = server(f);
        try (Socket s = connect(server)) {
            s.getOutputStream().write(1);
            awaitPeerClosed(s);
            RecordingProtocol p = f.await(0);
            RecordingProtocol.Caught c = await(p.firstCaught, "exceptionCaught");
            assertEquals("dataReceived", c.callback(), "the callback whose return value was bad");
            assertNotNull(c.cause());
            await(p.closed, "connectionClosed");
        }
    }

    @Test
    void aThrowingExceptionCaughtOrConnectionClosedIsIgnored() throws Exception {
        AtomicInteger closedCalls = new AtomicInteger();
        Server server = server(() -> new Protocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                throw new IllegalStateException("first");
            }

            @Override
            public void exceptionCaught(ParallelContext ctx, Transport transport, String callback, Throwable cause) {
                throw new IllegalStateException("second, from exceptionCaught");
            }

            @Override
            public void connectionClosed(ParallelContext ctx, Transport transport) {
                closedCalls.incrementAndGet();
                throw new IllegalStateException("third, from connectionClosed");
            }
        });
        for (int i = 0; i < 3; i++) {
            try (Socket s = connect(server)) {
                s.getOutputStream().write(1);
                awaitPeerClosed(s);
            }
        }
        eventually(() -> closedCalls.get() == 3, "connectionClosed once per connection (" + closedCalls.get() + ")");
        stays(Duration.ofMillis(100), () -> closedCalls.get() == 3, "and no more");
        try (Socket s = connect(server)) {
            assertTrue(s.isConnected(), "the server still accepts");
        }
    }

    @Test
    void aThrowingProtocolFactoryRefusesOnlyThatConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Server server = server(() -> {
            if (n.incrementAndGet() == 1) throw new IllegalStateException("factory fails once");
            return new Echo();
        });
        try (Socket first = connect(server)) {
            awaitPeerClosed(first);
        }
        try (Socket second = connect(server)) {
            second.getOutputStream().write(ascii("ok"));
            assertEquals("ok", new String(readExactly(second, 2), UTF_8), "the next connection is served");
        }
    }

    @Test
    void aThrowingWorkFunctionGoesToTheErrbackAndTheRuntimeLivesOn() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> err = new java.util.concurrent.CompletableFuture<>();
        RuntimeException boom = new UnsupportedOperationException("work fails");
        px.submitWork(ctx -> {
            throw boom;
        }, v -> { }, err::complete);
        assertSame(boom, await(err, "errback"));
        Integer next = await(px.submitWork(ctx -> 5, v -> { }, e -> { }), "next work");
        assertEquals(5, next, "the pool still runs work");
    }
}

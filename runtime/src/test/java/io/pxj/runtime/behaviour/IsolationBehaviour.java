package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ArenaExhaustedException;
import io.pxj.runtime.ContextEscapeException;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.PersistenceException;
import io.pxj.runtime.Protected;
import io.pxj.runtime.ProtectedList;
import io.pxj.runtime.ProtectedMap;
import io.pxj.runtime.ProtectionException;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** "Don't persist parallel objects": escape detection, persistence detection, context confinement and reuse. */
public abstract class IsolationBehaviour extends BackendTestSupport {

    private static void assertMentionsTheRule(Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        assertTrue(m.contains("don't persist parallel objects"),
                "the message should name the rule \"don't persist parallel objects\": " + e.getMessage());
    }

    /** Runs {@code fn} as work and returns the arena buffer it smuggled out, once its context rolled back. */
    private ArenaBuffer smuggledBuffer() throws Exception {
        AtomicReference<ArenaBuffer> leak = new AtomicReference<>();
        CompletionStage<Long> stage = px.submitWork(ctx -> {
            ArenaBuffer b = ctx.allocate(64).putAscii("parallel");
            leak.set(b); // plain Java cannot stop this; the runtime must catch the use
            return (long) b.length();
        }, v -> { }, e -> { });
        assertEquals(8L, await(stage, "work"));
        ArenaBuffer b = leak.get();
        eventually(() -> !b.isValid(), "the work context rolled back (buffer.isValid() false)");
        return b;
    }

    @Test
    void usingAnArenaBufferAfterItsContextRolledBackThrowsContextEscapeException() throws Exception {
        ArenaBuffer b = smuggledBuffer();
        ContextEscapeException e = assertThrows(ContextEscapeException.class, b::length, "length() after rollback");
        assertMentionsTheRule(e);
        assertThrows(ContextEscapeException.class, b::toByteArray, "toByteArray() after rollback");
        assertThrows(ContextEscapeException.class, () -> b.put((byte) 1), "put() after rollback");
        assertThrows(ContextEscapeException.class, () -> b.get(0), "get() after rollback");
        assertThrows(ContextEscapeException.class, b::nioBuffer, "nioBuffer() after rollback");
    }

    @Test
    void arenaObjectsCarryTheirContextsGeneration() throws Exception {
        CompletionStage<long[]> stage = px.submitWork(ctx -> {
            ArenaBuffer b = ctx.allocate(8);
            return new long[] {b.generation(), ctx.generation(), b.isValid() ? 1 : 0, b.capacity(), b.length()};
        }, v -> { }, e -> { });
        long[] r = await(stage, "work");
        assertEquals(r[1], r[0], "buffer.generation() == ctx.generation() at allocation");
        assertEquals(1, r[2], "valid inside its callback");
        assertTrue(r[3] >= 8, "capacity() >= the requested size: " + r[3]);
        assertEquals(0, r[4], "a new buffer has length() 0");
    }

    /** Per dataReceived: context id, context generation at entry. Replies from the arena. */
    static final class GenerationProbe extends RecordingProtocol {
        final List<long[]> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
            seen.add(new long[] {ctx.id(), ctx.generation()});
            return ctx.allocate(data.remaining()).put(data);
        }
    }

    @Test
    void aConnectionKeepsItsContextAndEachRollbackAdvancesTheGeneration() throws Exception {
        TrackingFactory<GenerationProbe> f = TrackingFactory.of(GenerationProbe::new);
        Server server = server(f);
        try (Socket s = connect(server)) {
            for (int i = 0; i < 4; i++) {
                s.getOutputStream().write(ascii("msg" + i));
                assertEquals("msg" + i, new String(readExactly(s, 4), java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        GenerationProbe p = f.await(0);
        assertEquals(4, p.seen.size(), "one dataReceived per request");
        for (int i = 0; i < 4; i++)
            assertEquals(p.contextId, p.seen.get(i)[0], "the same context for every callback of the connection");
        for (int i = 1; i < 4; i++)
            assertTrue(p.seen.get(i)[1] >= p.seen.get(i - 1)[1], "generation never goes back: "
                    + p.seen.get(i - 1)[1] + " then " + p.seen.get(i)[1]);
        assertTrue(p.seen.get(3)[1] > p.seen.get(0)[1], "generation advanced over three rolled-back arena replies: "
                + p.seen.get(0)[1] + " then " + p.seen.get(3)[1]);
    }

    @Test
    void anArenaBufferReturnedAsASendStaysValidUntilTheSendCompletes() throws Exception {
        final int size = 16 * 1024 * 1024;
        AtomicReference<ArenaBuffer> sent = new AtomicReference<>();
        CountDownLatch sendDone = new CountDownLatch(1);
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                ArenaBuffer b = ctx.allocate(size);
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) i;
                while (b.remaining() > 0) b.put(chunk, 0, Math.min(chunk.length, b.remaining()));
                sent.set(b);
                return b;
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
                sendDone.countDown();
                return null;
            }
        });
        Server server = server(f);
        Socket s = new Socket();
        closeLater(s);
        s.setReceiveBufferSize(64 * 1024); // keep the kernel from absorbing the whole send
        s.setSoTimeout((int) WAIT.toMillis());
        s.connect(server.localAddress(), 5000);
        s.getOutputStream().write(1);
        Transport t = await(f.await(0).made, "made");
        eventually(() -> sent.get() != null && t.pendingSendBytes() > 0, "a send in progress");
        ArenaBuffer b = sent.get();
        stays(Duration.ofMillis(200), b::isValid, "the returned arena buffer stays valid while its send is pending");
        byte[] got = readExactly(s, size);
        for (int i = 0; i < size; i += 4099) assertEquals((byte) (i % (64 * 1024)), got[i], "byte " + i);
        await(sendDone, "sendComplete");
        eventually(() -> !b.isValid(), "the arena rolls back once the send completed");
    }

    @Test
    void storingArenaObjectsIntoProtectedContainersThrowsPersistenceException() throws Exception {
        CompletionStage<Map<String, Throwable>> stage = px.submitWork(ctx -> {
            ArenaBuffer b = ctx.allocate(16).putAscii("arena");
            Map<String, Runnable> attempts = new LinkedHashMap<>();
            Protected<Object> holder = Protected.of(null);
            ProtectedMap<Object, Object> map = new ProtectedMap<>();
            ProtectedList<Object> list = new ProtectedList<>();
            list.add("placeholder");
            attempts.put("Protected.of", () -> Protected.of(b));
            attempts.put("Protected.set", () -> holder.set(b));
            attempts.put("Protected.update", () -> holder.update(old -> b));
            attempts.put("ProtectedMap.put value", () -> map.put("k", b));
            attempts.put("ProtectedMap.put key", () -> map.put(b, "v"));
            attempts.put("ProtectedMap.computeIfAbsent", () -> map.computeIfAbsent("k2", k -> b));
            attempts.put("ProtectedList.add", () -> list.add(b));
            attempts.put("ProtectedList.set", () -> list.set(0, b));
            Map<String, Throwable> outcome = new HashMap<>();
            for (var a : attempts.entrySet()) {
                try {
                    a.getValue().run();
                    outcome.put(a.getKey(), null);
                } catch (Throwable t) {
                    outcome.put(a.getKey(), t);
                }
            }
            // A copy is fine.
            map.put("copy", b.toByteArray());
            list.add(b.toString(java.nio.charset.StandardCharsets.UTF_8));
            if (map.size() != 1 || list.size() != 2 || !"placeholder".equals(list.get(0)) || holder.read(v -> v) != null)
                throw new AssertionError("containers changed by a rejected store: map " + map.snapshot().keySet()
                        + ", list " + list.snapshot());
            return outcome;
        }, v -> { }, e -> { });
        Map<String, Throwable> outcome = await(stage, "work");
        for (var o : outcome.entrySet()) {
            assertInstanceOf(PersistenceException.class, o.getValue(), o.getKey() + " of an ArenaBuffer");
            assertMentionsTheRule(o.getValue());
        }
        assertEquals(8, outcome.size());
    }

    @Test
    void storingTheReceiveBufferIntoAProtectedContainerThrowsPersistenceException() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        ProtectedList<Object> shared = new ProtectedList<>();
        Server server = server(() -> new RecordingProtocol() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
                if (!data.isDirect()) {
                    outcome.complete("heap");
                    return null;
                }
                try {
                    shared.add(data);
                    outcome.complete("stored");
                } catch (Throwable t) {
                    outcome.complete(t);
                }
                return null;
            }
        });
        try (Socket s = connect(server)) {
            s.getOutputStream().write(ascii("data"));
            Object o = await(outcome, "dataReceived");
            Assumptions.assumeFalse("heap".equals(o),
                    "this backend hands dataReceived a heap buffer; the direct-buffer registry check does not apply");
            assertInstanceOf(PersistenceException.class, o, "storing the receive buffer view");
            assertEquals(0, shared.size(), "nothing stored");
        }
    }

    @Test
    void publishingAnArenaObjectThrowsPersistenceException() throws Exception {
        ArenaBuffer b = smuggledBuffer();
        Throwable t = onMain(() -> {
            try {
                px.publish("leak", b);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        assertInstanceOf(PersistenceException.class, t, "publish of an arena-backed object");
        assertEquals(null, px.published("leak", Object.class), "nothing published");
    }

    @Test
    void anArenaBackedWorkResultGoesToTheErrback() throws Exception {
        CompletableFuture<Throwable> err = new CompletableFuture<>();
        px.submitWork(ctx -> ctx.allocate(4).putAscii("oops"),
                v -> err.completeExceptionally(new AssertionError("callback got an arena buffer across the rollback")),
                err::complete);
        assertInstanceOf(PersistenceException.class, await(err, "errback"),
                "a work result dies with its context: returning arena memory to the main thread is an error");
    }

    @Test
    void aContextUsedOffItsThreadThrowsProtectionException() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<ParallelContext> leaked = new AtomicReference<>();
        CompletionStage<String> stage = px.submitWork(ctx -> {
            leaked.set(ctx);
            inside.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "ok";
        }, v -> { }, e -> { });
        await(inside, "work running");
        ParallelContext ctx = leaked.get();
        // While its callback runs, from another thread:
        assertThrows(ProtectionException.class, () -> ctx.allocate(8), "allocate from a foreign thread");
        release.countDown();
        assertEquals("ok", await(stage, "work"));
        // After the callback returned:
        assertThrows(ProtectionException.class, () -> ctx.allocate(8), "allocate after the callback");
        assertThrows(ProtectionException.class, () -> ctx.callFromMainThread(() -> { }),
                "callFromMainThread after the callback");
        assertThrows(ProtectionException.class, () -> ctx.published("x", Object.class), "published after the callback");
        Throwable onMain = onMain(() -> {
            try {
                ctx.allocate(8);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertInstanceOf(ProtectionException.class, onMain, "a parallel context used on the main thread");
    }

    @Test
    void connectionContextsAreRecycledWithAFreshGeneration() throws Exception {
        long recycledBefore = px.stats().contextsRecycled();
        List<long[]> madeLog = Collections.synchronizedList(new ArrayList<>()); // {ctx id, generation at made}
        List<long[]> closedLog = Collections.synchronizedList(new ArrayList<>()); // {ctx id, generation at closed}
        Supplier<RecordingProtocol> proto = () -> new Echo() {
            @Override
            public void connectionMade(ParallelContext ctx, Transport transport) throws Exception {
                super.connectionMade(ctx, transport);
                ctx.allocate(32);
                madeLog.add(new long[] {ctx.id(), ctx.generation()});
            }

            @Override
            public void connectionClosed(ParallelContext ctx, Transport transport) throws Exception {
                closedLog.add(new long[] {ctx.id(), ctx.generation()});
                super.connectionClosed(ctx, transport);
            }
        };
        TrackingFactory<RecordingProtocol> f = TrackingFactory.of(proto);
        Server server = server(f);
        for (int i = 0; i < 8; i++) {
            try (Socket s = connect(server)) {
                s.getOutputStream().write(1);
                readExactly(s, 1);
            }
            await(f.await(i).closed, "connection " + i + " closed");
        }
        Map<Long, Long> lastGenerationById = new HashMap<>();
        int reused = 0;
        for (int i = 0; i < 8; i++) {
            long id = madeLog.get(i)[0];
            Long last = lastGenerationById.get(id);
            if (last != null) {
                reused++;
                assertTrue(madeLog.get(i)[1] > last, "a recycled context starts at a newer generation (" + madeLog.get(i)[1]
                        + ") than its previous connection ended with (" + last + ")");
            }
            lastGenerationById.put(id, closedLog.get(i)[1]);
        }
        assertTrue(reused > 0, "8 sequential connections should reuse a context; ids " + lastGenerationById.keySet());
        assertTrue(px.stats().contextsRecycled() > recycledBefore, "stats().contextsRecycled grows");
    }

    @Test
    void allocatingPastTheArenaLimitThrowsArenaExhaustedException() throws Exception {
        CompletionStage<Object[]> stage = px.submitWork(ctx -> {
            Throwable t = null;
            try {
                ctx.allocate(128 * 1024 * 1024); // the default per-context limit is 64 MiB
            } catch (Throwable e) {
                t = e;
            }
            ArenaBuffer after = ctx.allocate(16).putAscii("still ok");
            return new Object[] {t, after.toString(java.nio.charset.StandardCharsets.US_ASCII)};
        }, v -> { }, e -> { });
        Object[] r = await(stage, "work");
        assertNotNull(r[0], "allocate(128 MiB) must fail");
        assertInstanceOf(ArenaExhaustedException.class, r[0]);
        assertEquals("still ok", r[1], "the context keeps working after a refused allocation");
    }
}

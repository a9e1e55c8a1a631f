package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protected;
import io.pxj.runtime.ProtectedList;
import io.pxj.runtime.ProtectedMap;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import io.pxj.runtime.WaitTimeoutException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Protected state changed from parallel callbacks is exact; locks behave as documented. */
public abstract class ProtectedBehaviour extends BackendTestSupport {

    @Test
    void concurrentIncrementsThroughAProtectedMapFromWorkAreExact() throws Exception {
        ProtectedMap<String, Long> counts = new ProtectedMap<>();
        List<CompletionStage<Void>> stages = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            stages.add(px.submitWork(ctx -> {
                for (int i = 0; i < 10_000; i++) counts.increment("hits", 1);
                return null;
            }, v -> { }, e -> { }));
        }
        for (var s : stages) await(s, "work");
        assertEquals(80_000L, counts.get("hits"), "8 x 10000 increments from parallel work");
    }

    @Test
    void concurrentIncrementsFromManyConnectionsAreExact() throws Exception {
        ProtectedMap<String, Long> counts = new ProtectedMap<>();
        Server server = server(() -> new Echo() {
            @Override
            public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) throws Exception {
                counts.increment("bytes", data.remaining());
                counts.increment("calls", 1);
                return super.dataReceived(ctx, transport, data);
            }
        });
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 20; i++) sockets.add(connect(server));
        for (int round = 0; round < 50; round++) {
            for (Socket s : sockets) s.getOutputStream().write(new byte[] {1, 2});
            for (Socket s : sockets) readExactly(s, 2);
        }
        assertEquals(20L * 50 * 2, counts.get("bytes"), "bytes counted from 20 connections' callbacks");
        assertEquals(counts.get("calls"), (long) counts.snapshot().get("calls"), "snapshot agrees");
    }

    @Test
    void protectedUpdateFromParallelWorkIsExact() throws Exception {
        Protected<Long> total = Protected.of(0L);
        ProtectedList<Integer> seen = new ProtectedList<>();
        List<CompletionStage<Void>> stages = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            stages.add(px.submitWork(ctx -> {
                for (int i = 0; i < 5_000; i++) total.update(v -> v + 1);
                for (int i = 0; i < 50; i++) seen.add(id * 1000 + i);
                return null;
            }, v -> { }, e -> { }));
        }
        for (var s : stages) await(s, "work");
        long sum = total.read(v -> v);
        assertEquals(20_000L, sum, "4 x 5000 updates");
        assertEquals(200, seen.size(), "4 x 50 list adds");
        assertEquals(200, seen.snapshot().stream().distinct().count(), "no lost or duplicated element");
    }

    @Test
    void readersShareTheLockAndAWriterWaitsWithTimeout() throws Exception {
        Protected<StringBuilder> shared = Protected.of(new StringBuilder("x"));
        CyclicBarrier bothReading = new CyclicBarrier(2);
        List<CompletionStage<String>> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            readers.add(px.submitWork(ctx -> shared.read(sb -> {
                try {
                    bothReading.await(10, TimeUnit.SECONDS); // passes only if both hold the read lock at once
                } catch (Exception e) {
                    throw new IllegalStateException("readers did not overlap", e);
                }
                return sb.toString();
            }), v -> { }, e -> { }));
        }
        for (var r : readers) assertEquals("x", await(r, "reader"));
        try (Protected.Guard held = shared.writeLock()) { // the test thread holds the write lock
            CompletionStage<Object> writer = px.submitWork(ctx -> {
                try {
                    shared.tryWrite(Duration.ofMillis(100), sb -> sb.append("y"));
                    return "wrote";
                } catch (WaitTimeoutException e) {
                    return e;
                }
            }, v -> { }, e -> { });
            assertInstanceOf(WaitTimeoutException.class, await(writer, "writer"), "tryWrite times out");
        }
        assertEquals("x", shared.read(StringBuilder::toString), "the timed-out write did not happen");
    }
}

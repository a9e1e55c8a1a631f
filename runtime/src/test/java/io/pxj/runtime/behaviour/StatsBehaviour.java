package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.PxStats;
import io.pxj.runtime.Server;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** PxStats: counters follow what happened and settle back when the runtime is idle. */
public abstract class StatsBehaviour extends BackendTestSupport {

    @Test
    void statsNameTheBackendAndItsThreads() {
        assertEquals(backend(), px.backendName(), "px.backendName()");
        PxStats s = px.stats();
        assertEquals(backend(), s.backend(), "stats().backend()");
        assertTrue(s.threads() >= THREADS && s.threads() <= 2 * THREADS,
                "stats().threads() within [threads, 2 x threads] for threads(" + THREADS + "): " + s.threads());
        assertNotNull(s.backendCounters(), "backendCounters is a map, possibly empty");
        assertFalse(px.underMemoryPressure(), "an idle runtime is not under memory pressure");
    }

    @Test
    void connectionAndByteCountersFollowTraffic() throws Exception {
        PxStats before = px.stats();
        Server server = server(Echo::new);
        for (int i = 0; i < 3; i++) {
            try (Socket s = connect(server)) {
                s.getOutputStream().write(randomBytes(1000, i));
                readExactly(s, 1000);
                if (i == 2) assertTrue(px.stats().connectionsActive() >= before.connectionsActive() + 1,
                        "connectionsActive counts an open connection");
            }
        }
        eventually(() -> px.stats().connectionsActive() == before.connectionsActive(),
                "connectionsActive back to " + before.connectionsActive() + " (is " + px.stats().connectionsActive() + ")");
        PxStats after = px.stats();
        assertEquals(before.connectionsTotal() + 3, after.connectionsTotal(), "connectionsTotal");
        assertEquals(3000, after.bytesIn() - before.bytesIn(), "bytesIn: 3 x 1000 echoed");
        assertEquals(3000, after.bytesOut() - before.bytesOut(), "bytesOut: 3 x 1000 echoed");
        assertTrue(after.callbacksRun() - before.callbacksRun() >= 3, "at least one dataReceived per connection");
        long created = after.contextsCreated() - before.contextsCreated();
        assertEquals(3, created + after.contextsRecycled() - before.contextsRecycled(),
                "one context per connection, new or recycled: " + before + " -> " + after);
        // the first connection needs a new context; the next may reuse one only once the previous has closed
        assertTrue(created >= 1 && created <= 3, "contextsCreated grew by 1..3: " + created);
    }

    @Test
    void arenaAndContextCountersSettleWhenIdle() throws Exception {
        PxStats before = px.stats();
        long[] during = new long[2];
        Integer len = await(px.submitWork(ctx -> {
            int n = ctx.allocate(1 << 20).put(new byte[1 << 20]).length();
            during[0] = px.stats().arenaBytesInUse();
            during[1] = px.stats().arenaBytesReserved();
            return n;
        }, v -> { }, e -> { }), "work allocating 1 MiB");
        assertEquals(1 << 20, len);
        assertTrue(during[0] >= 1 << 20, "arenaBytesInUse while the 1 MiB is held: " + during[0]);
        assertTrue(during[1] >= before.arenaBytesReserved() + (1 << 20),
                "arenaBytesReserved holds the 1 MiB: " + before.arenaBytesReserved() + " -> " + during[1]);
        eventually(() -> px.stats().arenaBytesInUse() == 0 && px.stats().contextsActive() == before.contextsActive(),
                "arena and contexts idle again: " + px.stats());
        PxStats after = px.stats();
        assertTrue(after.arenaBytesHighWater() >= 1 << 20, "arenaBytesHighWater saw the 1 MiB: " + after);
        // larger than a chunk: a dedicated chunk, dropped at rollback (standard chunks stay cached)
        assertEquals(before.arenaBytesReserved(), after.arenaBytesReserved(), "the 1 MiB chunk was released: " + after);
        assertEquals(1, after.contextsCreated() + after.contextsRecycled() - before.contextsCreated()
                - before.contextsRecycled(), "one context for the one work item");
        assertTrue(after.callbacksRun() >= before.callbacksRun() + 1, "the work counted as a callback");
    }

    /**
     * Idle connections hold no receive buffer and no arena chunk: with ten echo connections open and idle (each
     * answered one request first), the direct memory in use has not grown by even one 64 KiB buffer. On the
     * windows backend an idle connection waits in a zero-byte receive, counted in its counters.
     */
    @Test
    void idleConnectionsHoldNoDirectMemory() throws Exception {
        Server server = warmEchoServer();
        long before = px.stats().directBytesInUse();
        long zeroBefore = px.stats().backendCounters().getOrDefault("windows.zeroByteReceives", 0L);
        java.util.List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = connect(server);
                idle.add(s);
                s.getOutputStream().write(randomBytes(1000, i));
                readExactly(s, 1000);
            }
            // Not even one 64 KiB receive buffer or arena chunk between them; on windows each socket's small
            // native operation blocks (OVERLAPPED, WSABUFs) count.
            eventually(() -> px.stats().directBytesInUse() < before + (64 << 10),
                    "10 idle connections hold no receive buffer or arena chunk: " + before + " B before, now "
                            + px.stats());
            PxStats now = px.stats();
            assertTrue(now.directBytesReserved() >= now.directBytesInUse(), "reserved covers in use: " + now);
            assertTrue(now.memorySoftLimit() > 0, "the soft limit is reported: " + now);
            if (backend().equals("windows")) {
                // The zero-byte receive after a response is posted when its send completes: the last one may
                // still be on its way when the client has read the echo.
                eventually(() -> px.stats().backendCounters().get("windows.zeroByteReceives") - zeroBefore >= 20,
                        "each connection waited in a zero-byte receive before and after its request: "
                                + (px.stats().backendCounters().get("windows.zeroByteReceives") - zeroBefore)
                                + " counted for 10 connections");
            }
        } finally {
            for (Socket s : idle) s.close();
        }
    }

    /** An echo server that has served one connection and has none open: its pools hold what they keep. */
    private Server warmEchoServer() throws Exception {
        Server server = server(Echo::new);
        try (Socket warm = connect(server)) {
            warm.getOutputStream().write(randomBytes(100, 0));
            readExactly(warm, 100);
        }
        eventually(() -> px.stats().connectionsActive() == 0, "the warm-up connection closed");
        return server;
    }

    @Test
    void connectionsThatSendNothingHoldNoReceiveBuffer() throws Exception {
        Server server = warmEchoServer();
        long before = px.stats().directBytesInUse();
        java.util.List<Socket> silent = new java.util.ArrayList<>();
        try {
            // Enough that nio tries a first read before readiness on some of them (at least every 16th): a read
            // that finds nothing must give its buffer back.
            for (int i = 0; i < 40; i++) {
                silent.add(connect(server));
            }
            eventually(() -> px.stats().connectionsActive() == 40, "40 connections open: " + px.stats());
            eventually(() -> px.stats().directBytesInUse() < before + (64 << 10),
                    "40 connections that sent nothing hold no receive buffer: " + before + " B before, now "
                            + px.stats());
            Socket last = silent.get(39);
            last.getOutputStream().write(randomBytes(500, 1));
            readExactly(last, 500);
        } finally {
            for (Socket s : silent) s.close();
        }
    }

    @Test
    void errorsCountFailedCallbacks() throws Exception {
        long before = px.stats().errors();
        CountDownLatch errbacks = new CountDownLatch(5);
        for (int i = 0; i < 5; i++)
            px.submitWork(ctx -> {
                throw new IllegalStateException("counted");
            }, v -> { }, e -> errbacks.countDown());
        await(errbacks, "5 errbacks");
        assertTrue(px.stats().errors() >= before + 5, "stats().errors() counts 5 failures: " + px.stats().errors());
    }

    @Test
    @ManualMainLoop
    void mainQueueDepthShowsWaitingMainThreadCalls() {
        int[] ran = {0};
        for (int i = 0; i < 5; i++) px.callFromMainThread(() -> ran[0]++);
        assertTrue(px.stats().mainQueueDepth() >= 5, "5 queued: " + px.stats().mainQueueDepth());
        pumpUntil(() -> ran[0] == 5, "the 5 calls");
        assertEquals(0, px.stats().mainQueueDepth(), "drained");
    }
}

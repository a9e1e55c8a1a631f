package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.pxj.runtime.IoMode;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.win32.IoOutcome;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** Memory lifetimes, accept top-up, socket reuse, close with I/O pending, serialisation, IoMode, shutdown. */
class LifecycleTest {
    Rig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Rig();
    }

    @Test
    void acceptsArePrePostedAndToppedUpAsTheyComplete() throws Exception {
        TestHandler h = new TestHandler();
        WindowsListener l = rig.listen(4, h);
        verify(rig.ws).setExclusiveAddressUse(100L, true);
        verify(rig.ws).listen(100L, 128);
        for (long s = 101; s <= 104; s++) verify(rig.ws).acceptEx(eq(100L), eq(s), anyLong(), eq(0), anyLong());
        assertEquals(4, l.posted());
        rig.complete(100, rig.acceptOv(102), 0, 0);
        rig.complete(100, rig.acceptOv(104), 0, 0);
        assertEquals(4, l.posted(), "two accepts completed, two new ones posted");
        verify(rig.ws).acceptEx(eq(100L), eq(105L), anyLong(), eq(0), anyLong());
        verify(rig.ws).acceptEx(eq(100L), eq(106L), anyLong(), eq(0), anyLong());
        assertEquals(4, rig.backend.counters().get("windows.acceptsPosted"));
    }

    @Test
    void ipv6ListenerSetsV6OnlyAsAsked() throws Exception {
        rig.backend.listen(new InetSocketAddress("::", 0), 16, true, 1, TestHandler::new);
        verify(rig.ws, times(2)).createTcpSocket(java.net.StandardProtocolFamily.INET6); // listener + accept socket
        verify(rig.ws).setIpv6Only(100L, true);
    }

    @Test
    void refusedConnectionClosesTheSocket() throws Exception {
        WindowsListener l = (WindowsListener) rig.backend.listen(Rig.LOCAL, 8, false, 1, () -> null);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        verify(rig.ws).close(101L);
        assertEquals(1, l.counters().get("refused"));
    }

    @Test
    void recycledSocketServesTheNextAcceptWithItsPoolIoAndMemory() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        h.onInputClosed = x -> x.channel.close(false); // the peer closed first
        when(rig.ws.wsaRecv(anyLong(), anyLong(), anyInt(), anyInt(), anyLong())).thenReturn(IoOutcome.completed(0));
        when(rig.ws.disconnectEx(anyLong(), anyLong(), anyInt())).thenReturn(IoOutcome.completed(0));
        WindowsListener l = rig.listen(1, h);
        long firstOv = rig.acceptOv(101);
        rig.complete(100, firstOv, 0, 0);        // 101 accepted, 102 posted, 101 disconnected -> spare
        rig.complete(100, rig.acceptOv(102), 0, 0); // 102 accepted; the spare 101 is posted again
        verify(rig.ws, times(2)).acceptEx(eq(100L), eq(101L), anyLong(), eq(0), anyLong());
        assertEquals(firstOv, rig.acceptOv(101), "same op memory reused");
        verify(rig.pool, times(1)).createIo(eq(101L), any()); // PoolIo created once per socket
        verify(rig.ws, never()).close(101L);
        assertTrue(l.counters().get("socketsReused") >= 1);
    }

    @Test
    void listenerCloseWaitsForAnAcceptExBeingIssuedAndNoStartFollowsTheCloseThreadpoolIo() throws Exception {
        TestHandler h = new TestHandler();
        WindowsListener l = rig.listen(1, h);
        io.pxj.win32.PoolIo listenIo = rig.io(100L);
        java.util.concurrent.atomic.AtomicBoolean listenClosed = new java.util.concurrent.atomic.AtomicBoolean();
        doAnswer(inv -> {
            listenClosed.set(true);
            return null;
        }).when(rig.ws).close(100L);
        boolean[] closedDuringAcceptEx = {false};
        Thread[] closer = new Thread[1];
        // While the top-up's AcceptEx (accept socket 102) is being issued, another thread closes the server.
        when(rig.ws.acceptEx(eq(100L), eq(102L), anyLong(), eq(0), anyLong())).thenAnswer(inv -> {
            closer[0] = new Thread(l::close, "closer");
            closer[0].start();
            closer[0].join(300);
            closedDuringAcceptEx[0] = listenClosed.get();
            return IoOutcome.PENDING;
        });
        rig.complete(100, rig.acceptOv(101), 0, 0);
        closer[0].join(5000);
        assertFalse(closer[0].isAlive());
        assertFalse(closedDuringAcceptEx[0], "closesocket/CloseThreadpoolIo ran while an AcceptEx was being issued");
        InOrder in = inOrder(listenIo, rig.ws);
        in.verify(listenIo).start();
        in.verify(rig.ws).acceptEx(eq(100L), eq(102L), anyLong(), eq(0), anyLong());
        in.verify(rig.ws).close(100L);
        in.verify(listenIo).close();
        verify(listenIo, times(2)).start(); // 101 and 102, never after the close
        assertEquals(List.of("opened"), h.events);
    }

    @Test
    void aTopUpThatCannotStartItsAcceptExStillOpensTheAcceptedConnection() throws Exception {
        TestHandler h = new TestHandler();
        WindowsListener l = rig.listen(1, h);
        io.pxj.win32.PoolIo listenIo = rig.io(100L);
        doThrow(new IllegalStateException("PoolIo closed")).when(listenIo).start(); // e.g. the pool is closing
        rig.complete(100, rig.acceptOv(101), 0, 0);
        assertEquals(List.of("opened"), h.events, "the accepted connection is not lost");
        assertEquals(0, l.posted());
        verify(rig.ws).close(102L); // the accept socket that could not be posted is destroyed, not leaked
        verify(rig.ws, never()).acceptEx(eq(100L), eq(102L), anyLong(), anyInt(), anyLong());
    }

    @Test
    void clientSocketsAreRecycledAfterDisconnectEx() throws Exception {
        when(rig.ws.connectEx(anyLong(), anyLong(), anyInt(), anyLong(), anyInt(), anyLong()))
                .thenReturn(IoOutcome.completed(0));
        when(rig.ws.disconnectEx(anyLong(), anyLong(), anyInt())).thenReturn(IoOutcome.completed(0));
        when(rig.ws.wsaRecv(anyLong(), anyLong(), anyInt(), anyInt(), anyLong())).thenReturn(IoOutcome.completed(0));
        for (int i = 0; i < 3; i++) {
            TestHandler h = new TestHandler();
            h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
            h.onInputClosed = x -> x.channel.close(false); // the server closed first
            rig.backend.connect(new InetSocketAddress("127.0.0.1", 9000), h);
            rig.runPool();
            assertEquals(List.of("opened", "inputClosed", "closed"), h.events);
        }
        verify(rig.ws, times(1)).createTcpSocket(any());
        verify(rig.ws, times(1)).bind(eq(100L), any()); // stays bound across reuse
        verify(rig.ws, times(3)).connectEx(eq(100L), anyLong(), eq(16), eq(0L), eq(0), anyLong());
        assertEquals(2, rig.backend.counters().get("windows.clientSocketsReused"));
    }

    @Test
    void abortiveCloseWithReadPendingCancelsAndReportsClosedOnlyAfterTheCompletion() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(32));
        rig.acceptOne(h);
        long ov = rig.recvOv(101);
        h.channel.execute(() -> h.channel.close(true));
        rig.runPool();
        InOrder in = inOrder(rig.ws);
        in.verify(rig.ws).setLinger(101L, true, 0);
        in.verify(rig.ws).cancelIoEx(101L, 0L);
        in.verify(rig.ws).close(101L);
        assertEquals(List.of("opened"), h.events, "the kernel may still write the buffer: no closed() yet");
        IoOp op = rig.backend.registry.get(ov);
        assertNotNull(op);
        assertFalse(op.isFreed());
        rig.complete(101, ov, 995, 0);
        assertEquals(List.of("opened", "closed"), h.events);
        assertTrue(op.isFreed(), "freed once the completion was seen");
        assertNull(rig.backend.registry.get(ov));
        verify(rig.io(101)).close();
    }

    @Test
    void gracefulCloseWaitsForTheSendThenCancelsTheReadThenClosesTheSocketItClosedFirst() throws Exception {
        TestHandler h = new TestHandler();
        ByteBuffer b = ByteBuffer.allocateDirect(4);
        h.onOpened = x -> {
            x.channel.read(ByteBuffer.allocateDirect(32));
            x.channel.send(new ByteBuffer[] {b}, 0, 1);
            x.channel.close(false);
        };
        rig.acceptOne(h);
        verify(rig.ws, never()).cancelIoEx(anyLong(), anyLong());
        rig.complete(101, rig.sendOv(101), 0, 4);
        long recvOv = rig.recvOv(101);
        verify(rig.ws).cancelIoEx(101L, recvOv);
        verify(rig.ws, never()).disconnectEx(anyLong(), anyLong(), anyInt());
        verify(rig.ws, never()).close(101L);
        rig.complete(101, recvOv, 995, 0);
        // We closed first: a DisconnectEx would sit out TIME_WAIT holding the socket, so it is closed instead.
        verify(rig.ws, never()).disconnectEx(anyLong(), anyLong(), anyInt());
        verify(rig.ws).close(101L);
        verify(rig.ws, never()).setLinger(eq(101L), eq(true), anyInt()); // graceful: FIN, not RST
        assertEquals(List.of("opened", "sent 4", "closed"), h.events);
        assertEquals(1, rig.backend.counters().get("windows.closedWithoutReuse"));
        assertEquals(1, rig.backend.counters().get("windows.socketsClosed"));
    }

    @Test
    void closeIsIdempotentAndClosedIsDeliveredOnce() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> {
            x.channel.close(true);
            x.channel.close(true);
            x.channel.close(false);
        };
        rig.acceptOne(h);
        h.channel.execute(() -> h.channel.close(true));
        rig.runPool();
        assertEquals(List.of("opened", "closed"), h.events);
        verify(rig.ws, times(1)).close(101L);
    }

    @Test
    void staleCompletionAfterDestroyFreesTheMemory() throws Exception {
        IoSocket s = IoSocket.open(rig.backend, java.net.StandardProtocolFamily.INET, x -> {});
        IoOp op = s.recv;
        IoSocket.start(s.io, op, o -> { throw new AssertionError("a stale completion must not be delivered"); });
        s.destroy();
        assertFalse(op.isFreed(), "pending: the kernel still owns the OVERLAPPED");
        assertNotNull(rig.backend.registry.get(op.address()));
        assertTrue(s.control.isFreed(), "idle ops are freed at once");
        rig.complete(100, op.address(), 995, 0);
        assertTrue(op.isFreed());
        assertEquals(1, rig.backend.counters().get("windows.staleCompletions"));
    }

    @Test
    void unknownOverlappedIsCountedNotFatal() throws Exception {
        rig.listen(1, new TestHandler());
        rig.complete(100, 0xDEAD0L, 0, 0);
        assertEquals(1, rig.backend.counters().get("windows.unknownCompletions"));
    }

    @Test
    void completionArrivingDuringAHandlerCallIsQueuedNotNested() throws Exception {
        TestHandler h = new TestHandler();
        ByteBuffer b = ByteBuffer.allocateDirect(3);
        h.onOpened = x -> {
            x.channel.read(ByteBuffer.allocateDirect(16));
            x.channel.send(new ByteBuffer[] {b}, 0, 1);
        };
        long[] sendOv = new long[1];
        h.onReceived = x -> {
            rig.handlers.get(101L).onCompletion(sendOv[0], 0, 3); // another pool thread's completion, meanwhile
            assertEquals(List.of("opened", "received 2"), x.events, "not delivered inside received()");
        };
        rig.acceptOne(h);
        sendOv[0] = rig.sendOv(101);
        rig.complete(101, rig.recvOv(101), 0, 2);
        assertEquals(List.of("opened", "received 2", "sent 3"), h.events);
    }

    @Test
    void aCallbackThatRunsLongIsReportedToThePoolOnce() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> {
            try {
                Thread.sleep(20); // protocol code well past the threshold
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.channel.read(ByteBuffer.allocateDirect(8));
        };
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(IoOutcome.completed(1));
        h.onReceived = x -> { };
        rig.listen(1, h);
        rig.handlers.get(100L).onCompletion(rig.acceptOv(101), 0, 0); // opened + an inline receive, one callback
        verify(rig.pool, times(1)).callbackMayRunLong();
        assertEquals(1, rig.backend.counters().get("windows.longCallbacks"));
    }

    @Test
    void shortCallbacksDoNotCallCallbackMayRunLong() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        rig.acceptOne(h);
        rig.complete(101, rig.recvOv(101), 0, 3);
        verify(rig.pool, never()).callbackMayRunLong();
    }

    @Test
    void ioModeMapsToSynchronousBudget() {
        assertEquals(16, WindowsChannel.syncAttempts(IoMode.THROUGHPUT));
        assertEquals(1, WindowsChannel.syncAttempts(IoMode.CONCURRENCY));
        assertEquals(64, WindowsChannel.syncAttempts(IoMode.LOW_LATENCY));
    }

    @Test
    void concurrencyModeYieldsThePoolThreadAfterOneInlineCompletion() throws Exception {
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(IoOutcome.completed(1));
        int[] reads = {0};
        TestHandler h = new TestHandler();
        h.onOpened = x -> {
            x.channel.options(ProtocolOptions.builder().ioMode(IoMode.CONCURRENCY).build());
            x.channel.read(ByteBuffer.allocateDirect(8));
        };
        h.onReceived = x -> {
            if (++reads[0] < 3) x.channel.read(ByteBuffer.allocateDirect(8));
        };
        rig.listen(1, h);
        rig.handlers.get(100L).onCompletion(rig.acceptOv(101), 0, 0);
        assertEquals(List.of("opened", "received 1"), h.events, "yielded after one inline completion");
        rig.runPool();
        assertEquals(3, reads[0]);
        assertTrue(rig.backend.counters().get("windows.syncYields") >= 2);
    }

    @Test
    void throughputModeHandlesSeveralInlineCompletionsOnTheSameThread() throws Exception {
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(IoOutcome.completed(1));
        int[] reads = {0};
        TestHandler h = new TestHandler();
        h.onOpened = x -> {
            x.channel.options(ProtocolOptions.builder().ioMode(IoMode.THROUGHPUT).build());
            x.channel.read(ByteBuffer.allocateDirect(8));
        };
        h.onReceived = x -> {
            if (++reads[0] < 5) x.channel.read(ByteBuffer.allocateDirect(8));
        };
        rig.listen(1, h);
        rig.handlers.get(100L).onCompletion(rig.acceptOv(101), 0, 0);
        assertEquals(5, reads[0], "all five inline, no pool hop");
        assertEquals(0, rig.backend.counters().get("windows.syncYields"));
    }

    @Test
    void shutdownClosesListenersThenPendingIoThenPoolThenPort() throws Exception {
        rig.inlinePool = true;
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(32));
        WindowsListener l = rig.listen(1, h);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        long recvOv = rig.recvOv(101);
        long acceptOv = rig.acceptOv(102);
        // the kernel completes cancelled operations with ERROR_OPERATION_ABORTED
        doAnswer(inv -> {
            rig.handlers.get(100L).onCompletion(acceptOv, 995, 0);
            return true;
        }).when(rig.ws).cancelIoEx(100L, 0L);
        doAnswer(inv -> {
            rig.handlers.get(101L).onCompletion(recvOv, 995, 0);
            return true;
        }).when(rig.ws).cancelIoEx(101L, 0L);
        assertTrue(rig.backend.close(Duration.ofSeconds(5)));
        InOrder in = inOrder(rig.ws, rig.pool, rig.port);
        in.verify(rig.ws).close(100L);          // listeners
        in.verify(rig.ws).cancelIoEx(101L, 0L); // pending I/O
        in.verify(rig.ws).close(101L);
        in.verify(rig.pool).close();            // callbacks, cleanup-group members, group, pool
        in.verify(rig.port).close();
        assertEquals(List.of("opened", "closed"), h.events);
        assertEquals(0, rig.backend.registry.size(), "every op's memory freed");
        assertTrue(l.isClosed());
        assertTrue(rig.backend.close(Duration.ofSeconds(1)), "idempotent");
        verify(rig.pool, times(1)).close();
        verify(rig.port, times(1)).close();
    }

    @Test
    void shutdownTimeoutAbandonsOpsStillOwnedByTheKernel() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(32));
        rig.acceptOne(h);
        IoOp recv = rig.backend.registry.get(rig.recvOv(101));
        rig.inlinePool = true;
        assertFalse(rig.backend.close(Duration.ofMillis(50)), "the read never completed");
        assertFalse(recv.isFreed(), "never freed while the kernel may still write it");
        InOrder in = inOrder(rig.ws);
        in.verify(rig.ws).cancelIoEx(101L, 0L);
        in.verify(rig.ws).close(101L);
        // Closing the pool would free the TP_IO (cleanup group) with the read still outstanding: leaked instead.
        verify(rig.pool, never()).close();
        verify(rig.port).close();
        var c = rig.backend.counters();
        assertEquals(2, c.get("windows.shutdownLeakedOps")); // the read and the posted accept
        assertEquals(1, c.get("windows.shutdownPoolLeaked"));
    }
}

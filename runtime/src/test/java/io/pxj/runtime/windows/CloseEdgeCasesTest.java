package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.pxj.win32.IoOutcome;
import io.pxj.win32.Winsock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;

/**
 * Operations Windows refuses to start, the DisconnectEx policy (recycle only when the peer closed first) and a
 * shutdown forced by its timeout while a connection is still running protocol code.
 */
class CloseEdgeCasesTest {
    @TempDir
    Path dir;
    Rig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Rig();
    }

    private static final IllegalStateException REFUSED = new IllegalStateException("StartThreadpoolIo refused");

    /** Accepts 101; StartThreadpoolIo on 101 refused from then on; {@code onOpened} runs in opened(). */
    private TestHandler acceptWithRefusedStart(java.util.function.Consumer<TestHandler> onOpened) throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = onOpened;
        rig.listen(1, h);
        doThrow(REFUSED).when(rig.io(101)).start();
        rig.complete(100, rig.acceptOv(101), 0, 0);
        return h;
    }

    @Test
    void aRefusedReadEndsInFailedThenClosed() throws Exception {
        TestHandler h = acceptWithRefusedStart(x -> x.channel.read(ByteBuffer.allocateDirect(8)));
        assertEquals(List.of("opened", "failed", "closed"), h.events);
        verify(rig.ws, never()).wsaRecv(anyLong(), anyLong(), anyInt(), anyInt(), anyLong());
        verify(rig.ws).close(101L);
        assertEquals(0, rig.backend.openChannels());
    }

    @Test
    void aRefusedSendEndsInFailedThenClosed() throws Exception {
        TestHandler h = acceptWithRefusedStart(x -> x.channel.send(new ByteBuffer[] {ByteBuffer.allocateDirect(4)}, 0, 1));
        assertEquals(List.of("opened", "failed", "closed"), h.events);
        verify(rig.ws, never()).wsaSend(anyLong(), anyLong(), anyInt(), anyInt(), anyLong());
        verify(rig.ws).close(101L);
    }

    @Test
    void aRefusedTransmitFileClosesTheFileHandleAndTheConnection() throws Exception {
        Path f = Files.write(dir.resolve("f.bin"), new byte[100]);
        TestHandler h = acceptWithRefusedStart(x -> x.channel.sendFile(null, f, 0, 100, null));
        assertEquals(List.of("opened", "failed", "closed"), h.events);
        verify(rig.api).openFileForTransmit(f);
        verify(rig.api).closeHandle(0xF1L);
        verify(rig.ws).close(101L);
    }

    @Test
    void aRefusedDisconnectExStillDeliversClosedAndClosesTheSocket() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        h.onInputClosed = x -> {
            doThrow(REFUSED).when(rig.io(101)).start();
            x.channel.close(false);
        };
        rig.listen(1, h);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        rig.complete(101, rig.recvOv(101), 0, 0); // the peer closed first: a DisconnectEx is due
        assertEquals(List.of("opened", "inputClosed", "closed"), h.events);
        verify(rig.ws, never()).disconnectEx(anyLong(), anyLong(), anyInt());
        verify(rig.ws).close(101L);
        assertEquals(0, rig.backend.openChannels());
        assertEquals(0, rig.backend.counters().get("windows.disconnectsPending"));
    }

    @Test
    void aRefusedConnectExReportsConnectFailed() throws Exception {
        when(rig.pool.createIo(anyLong(), org.mockito.ArgumentMatchers.any())).thenAnswer(inv -> {
            io.pxj.win32.PoolIo io = org.mockito.Mockito.mock(io.pxj.win32.PoolIo.class);
            doThrow(REFUSED).when(io).start();
            rig.handlers.put(inv.getArgument(0), inv.getArgument(1));
            rig.ios.put(inv.getArgument(0), io);
            return io;
        });
        TestHandler h = new TestHandler();
        rig.backend.connect(new InetSocketAddress("127.0.0.1", 9000), h);
        rig.runPool();
        assertEquals(List.of("connectFailed"), h.events);
        verify(rig.ws, never()).connectEx(anyLong(), anyLong(), anyInt(), anyLong(), anyInt(), anyLong());
        verify(rig.ws).close(100L);
    }

    // ---------------------------------------------------------------- DisconnectEx policy

    @Test
    void aSocketWeClosedFirstIsClosedNotRecycled() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.close(false);
        WindowsListener l = rig.listen(1, h);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        assertEquals(List.of("opened", "closed"), h.events);
        verify(rig.ws, never()).disconnectEx(anyLong(), anyLong(), anyInt());
        verify(rig.ws).close(101L);
        assertEquals(0, l.spareSockets());
        var c = rig.backend.counters();
        assertEquals(1, c.get("windows.closedWithoutReuse"));
        assertEquals(1, c.get("windows.socketsClosed"));
        assertEquals(0, c.get("windows.disconnectsPending"));
    }

    @Test
    void afterOurOwnShutdownOutputThePeersEndOfStreamDoesNotMakeItThePeersClose() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> {
            x.channel.shutdownOutput(); // our FIN first: TIME_WAIT is ours
            x.channel.read(ByteBuffer.allocateDirect(8));
        };
        h.onInputClosed = x -> x.channel.close(false);
        rig.listen(1, h);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        rig.complete(101, rig.recvOv(101), 0, 0);
        assertEquals(List.of("opened", "inputClosed", "closed"), h.events);
        verify(rig.ws).shutdown(101L, Winsock.SD_SEND);
        verify(rig.ws, never()).disconnectEx(anyLong(), anyLong(), anyInt());
        verify(rig.ws).close(101L);
    }

    @Test
    void whenThePeerClosedFirstTheSocketIsRecycledAndCountedWhilePending() throws Exception {
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        h.onInputClosed = x -> x.channel.close(false);
        WindowsListener l = rig.listen(1, h);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        rig.complete(101, rig.recvOv(101), 0, 0);
        verify(rig.ws).disconnectEx(eq(101L), anyLong(), eq(Winsock.TF_REUSE_SOCKET));
        assertEquals(1, rig.backend.counters().get("windows.disconnectsPending"));
        rig.complete(101, rig.disconnectOv(101), 0, 0);
        assertEquals(0, rig.backend.counters().get("windows.disconnectsPending"));
        assertEquals(1, rig.backend.counters().get("windows.disconnects"));
        assertEquals(1, l.spareSockets(), "kept for the next AcceptEx");
        verify(rig.ws, never()).close(101L);
    }

    // ---------------------------------------------------------------- forced shutdown

    @Test
    void aConnectionStillRunningProtocolCodeAfterAShutdownTimeoutEndsWithClosed() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        h.onReceived = x -> { // protocol code still running when the shutdown gives up waiting
            inHandler.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.channel.read(ByteBuffer.allocateDirect(8));
        };
        rig.acceptOne(h);
        long ov = rig.recvOv(101);
        List<String> events = Collections.synchronizedList(h.events);
        Thread poolThread = new Thread(() -> rig.handlers.get(101L).onCompletion(ov, 0, 3), "pool");
        poolThread.start();
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));
        assertFalse(rig.backend.close(Duration.ofMillis(100)), "the connection did not close in time");
        verify(rig.ws).close(101L);
        release.countDown();
        poolThread.join(5000);
        assertFalse(poolThread.isAlive());
        InOrder in = inOrder(rig.ws);
        in.verify(rig.ws).wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong());
        in.verify(rig.ws).close(101L);
        // The handle value may already belong to another socket: no call may follow the close.
        verify(rig.ws, times(1)).wsaRecv(eq(101L), anyLong(), anyInt(), anyInt(), anyLong());
        synchronized (events) {
            assertEquals("closed", events.get(events.size() - 1));
            assertEquals(1, events.stream().filter("closed"::equals).count());
        }
    }

    @Test
    void aForcedShutdownNeverClosesAHandleWhileAnOverlappedCallIsBeingIssuedOnIt() throws Exception {
        List<String> calls = Collections.synchronizedList(new java.util.ArrayList<>());
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        h.onReceived = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        rig.acceptOne(h);
        long ov = rig.recvOv(101);
        io.pxj.win32.PoolIo io = rig.io(101);
        org.mockito.Mockito.doAnswer(inv -> { // the drain is between StartThreadpoolIo and WSARecv
            inStart.countDown();
            release.await(10, TimeUnit.SECONDS);
            return null;
        }).when(io).start();
        when(rig.ws.wsaRecv(eq(101L), anyLong(), anyInt(), anyInt(), anyLong())).thenAnswer(inv -> {
            calls.add("WSARecv");
            return IoOutcome.PENDING;
        });
        org.mockito.Mockito.doAnswer(inv -> {
            calls.add("closesocket");
            return null;
        }).when(rig.ws).close(101L);
        Thread poolThread = new Thread(() -> rig.handlers.get(101L).onCompletion(ov, 0, 3), "pool");
        poolThread.start();
        assertTrue(inStart.await(5, TimeUnit.SECONDS));
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300); // well after the shutdown's 100 ms timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        assertFalse(rig.backend.close(Duration.ofMillis(100)));
        poolThread.join(5000);
        releaser.join(5000);
        assertEquals(List.of("WSARecv", "closesocket"), calls, "the call in progress finished before closesocket");
        verify(rig.ws).cancelIoEx(101L, 0L);
        verify(rig.pool, never()).close(); // the read is still outstanding: pool leaked, not freed under it
    }
}

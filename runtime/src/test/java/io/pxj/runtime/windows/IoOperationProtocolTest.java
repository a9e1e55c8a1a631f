package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.pxj.win32.IoOutcome;
import io.pxj.win32.PoolIo;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * For every operation kind and every immediate outcome: StartThreadpoolIo before the call, CancelThreadpoolIo
 * exactly on the outcomes that queue no packet, and the right handler event.
 */
class IoOperationProtocolTest {
    enum Outcome {
        PENDING_THEN_OK, SYNC_SUCCESS, SYNC_FAILURE, PENDING_THEN_ERROR;

        long immediate(long bytes) {
            return switch (this) {
                case PENDING_THEN_OK, PENDING_THEN_ERROR -> IoOutcome.PENDING;
                case SYNC_SUCCESS -> IoOutcome.completed(bytes);
                case SYNC_FAILURE -> IoOutcome.failed(10054);
            };
        }

        boolean cancels() {
            return this == SYNC_SUCCESS || this == SYNC_FAILURE;
        }

        boolean pending() {
            return !cancels();
        }

        boolean fails() {
            return this == SYNC_FAILURE || this == PENDING_THEN_ERROR;
        }
    }

    @TempDir
    Path dir;
    Rig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Rig();
    }

    /** The Winsock call, verified through the {@link InOrder} it is given so its position is checked too. */
    private interface WinsockCall {
        void verify(Winsock ws) throws Exception;
    }

    /** StartThreadpoolIo, then the call, then (on the outcomes that queue no packet) CancelThreadpoolIo. */
    private void verifyProtocol(PoolIo io, WinsockCall call, Outcome o) throws Exception {
        InOrder in = inOrder(io, rig.ws);
        in.verify(io).start();
        call.verify(in.verify(rig.ws));
        if (o.cancels()) in.verify(io).cancel();
        else verify(io, never()).cancel();
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void accept(Outcome o) throws Exception {
        when(rig.ws.acceptEx(eq(100L), eq(101L), anyLong(), eq(0), anyLong()))
                .thenReturn(o.immediate(0));
        TestHandler h = new TestHandler();
        WindowsListener l = rig.listen(1, h);
        PoolIo lio = rig.io(100);
        verifyProtocol(lio, ws -> ws.acceptEx(eq(100L), eq(101L), anyLong(), eq(0), anyLong()), o);
        if (o.pending()) {
            assertTrue(h.events.isEmpty());
            rig.complete(100, rig.acceptOv(101), o.fails() ? 10054 : 0, 0);
        }
        if (o.fails()) {
            assertTrue(h.events.isEmpty());
            verify(rig.ws).close(101L); // a failed AcceptEx socket is never reused
            assertEquals(1, l.counters().get("acceptErrors"));
        } else {
            verify(rig.ws).updateAcceptContext(101L, 100L);
            assertEquals(List.of("opened"), h.events);
            assertEquals(Rig.REMOTE, h.channel.remoteAddress());
            verify(rig.ws).setTcpNoDelay(101L, true);
        }
        // topped up: one accept posted again, on a new socket
        verify(rig.ws).acceptEx(eq(100L), eq(102L), anyLong(), eq(0), anyLong());
        assertEquals(1, l.posted());
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void receive(Outcome o) throws Exception {
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(o.immediate(5));
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(buf);
        rig.acceptOne(h);
        PoolIo io = rig.io(101);
        verifyProtocol(io, ws -> ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong()), o);
        long ov = rig.recvOv(101);
        if (o.pending()) {
            assertEquals(List.of("opened"), h.events);
            assertTrue(rig.backend.registry.get(ov).isPending(), "the kernel owns the OVERLAPPED");
            rig.complete(101, ov, o.fails() ? 64 : 0, o.fails() ? 0 : 5);
        }
        assertFalse(rig.backend.registry.get(ov) != null && rig.backend.registry.get(ov).isPending());
        if (o.fails()) {
            assertEquals("failed", h.events.get(1));
            assertInstanceOf(WindowsException.class, h.failure);
        } else {
            assertEquals(List.of("opened", "received 5"), h.events);
            assertEquals(5, buf.position());
        }
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void send(Outcome o) throws Exception {
        when(rig.ws.wsaSend(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(o.immediate(10));
        ByteBuffer b = ByteBuffer.allocateDirect(10);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.send(new ByteBuffer[] {b}, 0, 1);
        rig.acceptOne(h);
        PoolIo io = rig.io(101);
        verifyProtocol(io, ws -> ws.wsaSend(eq(101L), anyLong(), eq(1), eq(0), anyLong()), o);
        if (o.pending()) rig.complete(101, rig.sendOv(101), o.fails() ? 10054 : 0, o.fails() ? 0 : 10);
        if (o.fails()) {
            assertEquals("failed", h.events.get(1));
        } else {
            assertEquals(List.of("opened", "sent 10"), h.events);
            assertFalse(b.hasRemaining());
        }
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void gatheredSend(Outcome o) throws Exception {
        when(rig.ws.wsaSend(eq(101L), anyLong(), eq(3), eq(0), anyLong())).thenReturn(o.immediate(9));
        ByteBuffer[] bufs = {ByteBuffer.allocateDirect(2), ByteBuffer.allocateDirect(0), ByteBuffer.allocateDirect(3),
                ByteBuffer.allocateDirect(4)};
        TestHandler h = new TestHandler();
        long[] wsabuf = new long[5];
        when(rig.ws.wsaSend(eq(101L), anyLong(), eq(3), eq(0), anyLong())).thenAnswer(inv -> {
            IoOp op = rig.backend.registry.get(inv.getArgument(4));
            wsabuf[0] = inv.getArgument(1);
            wsabuf[1] = op.wsabufs.address();
            for (int i = 0; i < 3; i++) wsabuf[2 + i] = op.wsabufs.length(i); // read while the kernel owns it
            return o.immediate(9);
        });
        h.onOpened = x -> x.channel.send(bufs, 0, 4);
        rig.acceptOne(h);
        PoolIo io = rig.io(101);
        verifyProtocol(io, ws -> ws.wsaSend(eq(101L), anyLong(), eq(3), eq(0), anyLong()), o);
        assertEquals(wsabuf[1], wsabuf[0]);
        assertEquals(2, wsabuf[2]); // the empty buffer is skipped
        assertEquals(3, wsabuf[3]);
        assertEquals(4, wsabuf[4]);
        if (o.pending()) rig.complete(101, rig.sendOv(101), o.fails() ? 10054 : 0, o.fails() ? 0 : 9);
        if (o.fails()) {
            assertEquals("failed", h.events.get(1));
        } else {
            assertEquals(List.of("opened", "sent 9"), h.events);
            for (ByteBuffer b : bufs) assertFalse(b.hasRemaining());
        }
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void transmitFile(Outcome o) throws Exception {
        Path f = Files.write(dir.resolve("f.bin"), new byte[1000]);
        ByteBuffer head = ByteBuffer.allocateDirect(7), tail = ByteBuffer.allocateDirect(2);
        long[] seen = new long[4];
        when(rig.ws.transmitFile(eq(101L), eq(0xF1L), eq(300), eq(0), anyLong(), anyLong(), eq(0))).thenAnswer(inv -> {
            IoOp op = rig.backend.registry.get(inv.getArgument(4));
            seen[0] = op.overlapped.fileOffset();
            seen[1] = op.transmitBuffers.address() == (long) inv.getArgument(5) ? 1 : 0;
            seen[2] = op.transmitBuffers.headLength();
            seen[3] = op.transmitBuffers.tailLength();
            return o.immediate(309);
        });
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.sendFile(head, f, 5_00, 300, tail);
        rig.acceptOne(h);
        PoolIo io = rig.io(101);
        ArgumentCaptor<Long> ov = ArgumentCaptor.forClass(Long.class);
        ArgumentCaptor<Long> tfb = ArgumentCaptor.forClass(Long.class);
        verifyProtocol(io, ws -> ws.transmitFile(eq(101L), eq(0xF1L), eq(300), eq(0), ov.capture(),
                tfb.capture(), eq(0)), o);
        assertEquals(500, seen[0], "range start in OVERLAPPED.Offset/OffsetHigh");
        assertEquals(1, seen[1], "TRANSMIT_FILE_BUFFERS inside the op's block");
        assertEquals(7, seen[2], "HeadLength");
        assertEquals(2, seen[3], "TailLength");
        if (o.pending()) {
            verify(rig.api, never()).closeHandle(0xF1L); // the file stays open while the kernel sends it
            rig.complete(101, ov.getValue(), o.fails() ? 10054 : 0, o.fails() ? 0 : 309);
        }
        verify(rig.api).closeHandle(0xF1L);
        if (o.fails()) {
            assertEquals("failed", h.events.get(1));
        } else {
            assertEquals(List.of("opened", "sent 309"), h.events);
        }
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void disconnect(Outcome o) throws Exception {
        when(rig.ws.disconnectEx(eq(101L), anyLong(), eq(Winsock.TF_REUSE_SOCKET))).thenReturn(o.immediate(0));
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        h.onInputClosed = x -> x.channel.close(false); // the peer closed first: the socket can be recycled
        WindowsListener l = rig.listen(1, h);
        rig.complete(100, rig.acceptOv(101), 0, 0);
        PoolIo io = rig.io(101);
        org.mockito.Mockito.clearInvocations(io);
        rig.complete(101, rig.recvOv(101), 0, 0); // end of stream
        verifyProtocol(io, ws -> ws.disconnectEx(eq(101L), anyLong(), eq(Winsock.TF_REUSE_SOCKET)), o);
        assertEquals(List.of("opened", "inputClosed", "closed"), h.events);
        assertEquals(o.pending() ? 1 : 0, rig.backend.counters().get("windows.disconnectsPending"));
        if (o.pending()) rig.complete(101, rig.disconnectOv(101), o.fails() ? 10054 : 0, 0);
        assertEquals(0, rig.backend.counters().get("windows.disconnectsPending"));
        if (o.fails()) {
            verify(rig.ws).close(101L);
            assertEquals(0, l.spareSockets());
        } else {
            verify(rig.ws, never()).close(101L);
            assertEquals(1, l.spareSockets(), "kept for the next AcceptEx");
        }
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void connect(Outcome o) throws Exception {
        boolean[] sockaddrInOp = new boolean[1];
        when(rig.ws.connectEx(eq(100L), anyLong(), eq(16), eq(0L), eq(0), anyLong())).thenAnswer(inv -> {
            IoOp op = rig.backend.registry.get(inv.getArgument(5));
            sockaddrInOp[0] = op.memory.address(IoOp.SOCKADDR_OFFSET) == (long) inv.getArgument(1)
                    && op.memory.getShort(IoOp.SOCKADDR_OFFSET) == 2; // AF_INET, little-endian
            return o.immediate(0);
        });
        TestHandler h = new TestHandler();
        rig.backend.connect(new InetSocketAddress("127.0.0.1", 9000), h);
        rig.runPool();
        verify(rig.ws).bind(100L, new InetSocketAddress("0.0.0.0", 0));
        PoolIo io = rig.io(100);
        ArgumentCaptor<Long> sa = ArgumentCaptor.forClass(Long.class);
        ArgumentCaptor<Long> ov = ArgumentCaptor.forClass(Long.class);
        verifyProtocol(io, ws -> ws.connectEx(eq(100L), sa.capture(), eq(16), eq(0L), eq(0), ov.capture()), o);
        assertTrue(sockaddrInOp[0], "sockaddr written into the op's own native block");
        if (o.pending()) rig.complete(100, ov.getValue(), o.fails() ? 10061 : 0, 0);
        if (o.fails()) {
            assertEquals(List.of("connectFailed"), h.events);
            verify(rig.ws).close(100L);
            verify(rig.ws, never()).updateConnectContext(anyLong());
        } else {
            verify(rig.ws).updateConnectContext(100L);
            assertEquals(List.of("opened"), h.events);
            assertNotNull(h.channel.localAddress());
        }
    }

    @org.junit.jupiter.api.Test
    void connectOverIpv6BindsTheIpv6Wildcard() throws Exception {
        TestHandler h = new TestHandler();
        rig.backend.connect(new InetSocketAddress("::1", 9000), h);
        rig.runPool();
        verify(rig.ws).createTcpSocket(java.net.StandardProtocolFamily.INET6);
        verify(rig.ws).bind(100L, new InetSocketAddress("::", 0));
        verify(rig.ws).connectEx(eq(100L), anyLong(), eq(28), eq(0L), eq(0), anyLong());
        assertNull(h.channel);
    }

    @org.junit.jupiter.api.Test
    void withoutSkipOnSuccessASynchronousSuccessWaitsForItsPacket() throws Exception {
        org.mockito.Mockito.doThrow(new WindowsException("SetFileCompletionNotificationModes", 50))
                .when(rig.ws).setSkipCompletionPortOnSuccess(101L);
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(IoOutcome.completed(4));
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(buf);
        rig.acceptOne(h);
        verify(rig.io(101), never()).cancel();
        assertEquals(List.of("opened"), h.events);
        rig.complete(101, rig.recvOv(101), 0, 4);
        assertEquals(List.of("opened", "received 4"), h.events);
    }

    @org.junit.jupiter.api.Test
    void aNonIfsProviderGetsNoSkipOnSuccessAndItsSynchronousSuccessesCompleteThroughThePool() throws Exception {
        when(rig.ws.protocolInfo(anyLong())).thenReturn(Rig.NON_IFS_PROVIDER);
        when(rig.ws.acceptEx(eq(100L), eq(101L), anyLong(), eq(0), anyLong())).thenReturn(IoOutcome.completed(0));
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(IoOutcome.completed(4));
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(buf);
        rig.listen(1, h);
        verify(rig.ws, never()).setSkipCompletionPortOnSuccess(anyLong()); // Windows would accept it: not asked
        verify(rig.io(100), never()).cancel();
        assertTrue(h.events.isEmpty(), "the synchronous AcceptEx success waits for its packet");
        rig.complete(100, rig.acceptOv(101), 0, 0);
        assertEquals(List.of("opened"), h.events);
        verify(rig.io(101), never()).cancel();
        long ov = rig.recvOv(101);
        assertTrue(rig.backend.registry.get(ov).isPending(), "the packet still refers to the OVERLAPPED");
        rig.complete(101, ov, 0, 4);
        assertEquals(List.of("opened", "received 4"), h.events);
        assertEquals(4, buf.position());
        var c = rig.backend.counters();
        assertEquals(0, c.get("windows.socketsSkipOnSuccess"));
        assertEquals(3, c.get("windows.socketsWithoutSkip")); // listener, 101, and 102 posted by the top-up
        assertEquals(0, c.get("windows.syncCompletions"));
    }

    @org.junit.jupiter.api.Test
    void ifsProvidersGetSkipOnSuccessAndAreCounted() throws Exception {
        rig.listen(1, new TestHandler());
        verify(rig.ws).setSkipCompletionPortOnSuccess(100L);
        verify(rig.ws).setSkipCompletionPortOnSuccess(101L);
        assertEquals(2, rig.backend.counters().get("windows.socketsSkipOnSuccess"));
        assertEquals(0, rig.backend.counters().get("windows.socketsWithoutSkip"));
    }

    @org.junit.jupiter.api.Test
    void emptyReadCompletionIsEndOfStream() throws Exception {
        when(rig.ws.wsaRecv(eq(101L), anyLong(), eq(1), eq(0), anyLong())).thenReturn(IoOutcome.completed(0));
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.read(ByteBuffer.allocateDirect(8));
        rig.acceptOne(h);
        assertEquals(List.of("opened", "inputClosed"), h.events);
    }

    @org.junit.jupiter.api.Test
    void partialSendIsContinuedWithTheRest() throws Exception {
        ByteBuffer a = ByteBuffer.allocateDirect(4), b = ByteBuffer.allocateDirect(6);
        when(rig.ws.wsaSend(eq(101L), anyLong(), anyInt(), eq(0), anyLong()))
                .thenReturn(IoOutcome.completed(5), IoOutcome.completed(5));
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.send(new ByteBuffer[] {a, b}, 0, 2);
        rig.acceptOne(h);
        verify(rig.ws).wsaSend(eq(101L), anyLong(), eq(2), eq(0), anyLong());
        verify(rig.ws).wsaSend(eq(101L), anyLong(), eq(1), eq(0), anyLong()); // the rest of b only
        verify(rig.io(101), times(2)).start();
        verify(rig.io(101), times(2)).cancel();
        assertEquals(List.of("opened", "sent 10"), h.events);
    }

    @org.junit.jupiter.api.Test
    void moreThanSixtyFourBuffersAreSentInSeveralWsaSends() throws Exception {
        ByteBuffer[] bufs = new ByteBuffer[70];
        for (int i = 0; i < bufs.length; i++) bufs[i] = ByteBuffer.allocateDirect(1);
        when(rig.ws.wsaSend(eq(101L), anyLong(), anyInt(), eq(0), anyLong()))
                .thenReturn(IoOutcome.completed(64), IoOutcome.completed(6));
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.send(bufs, 0, 70);
        rig.acceptOne(h);
        verify(rig.ws).wsaSend(eq(101L), anyLong(), eq(64), eq(0), anyLong());
        verify(rig.ws).wsaSend(eq(101L), anyLong(), eq(6), eq(0), anyLong());
        assertEquals(List.of("opened", "sent 70"), h.events);
    }

    @org.junit.jupiter.api.Test
    void onClientEditionsFilesAreReadInChunksAndSentWithWsaSend() throws Exception {
        when(rig.api.isServerEdition()).thenReturn(false); // TransmitFile would run two at a time, system-wide
        byte[] content = new byte[64 * 1024 + 1000];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 31);
        Path f = Files.write(dir.resolve("big.bin"), content);
        ByteBuffer head = ByteBuffer.allocateDirect(3).put(new byte[] {'H', 'H', 'H'}).flip();
        ByteBuffer tail = ByteBuffer.allocateDirect(2).put(new byte[] {'T', 'T'}).flip();
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        when(rig.ws.wsaSend(eq(101L), anyLong(), anyInt(), eq(0), anyLong())).thenAnswer(inv -> {
            IoOp op = rig.backend.registry.get(inv.getArgument(4));
            int count = inv.getArgument(2);
            long total = 0;
            assertEquals(count, op.pinCount);
            for (int i = 0; i < count; i++) { // what the kernel would read from each WSABUF (its pinned buffer)
                ByteBuffer pinned = op.pins[i].duplicate();
                assertEquals(io.pxj.win32.NativeBuffers.positionAddress(pinned), op.wsabufs.buffer(i));
                assertEquals(pinned.remaining(), op.wsabufs.length(i));
                byte[] b = new byte[pinned.remaining()];
                pinned.get(b);
                wire.write(b);
                total += b.length;
            }
            return IoOutcome.completed(total);
        });
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.sendFile(head, f, 10, content.length - 10, tail);
        rig.acceptOne(h);
        verify(rig.ws, never()).transmitFile(anyLong(), anyLong(), anyInt(), anyInt(), anyLong(), anyLong(), anyInt());
        verify(rig.api, never()).openFileForTransmit(any());
        verify(rig.ws, times(2)).wsaSend(eq(101L), anyLong(), anyInt(), eq(0), anyLong());
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.write(new byte[] {'H', 'H', 'H'});
        expected.write(content, 10, content.length - 10);
        expected.write(new byte[] {'T', 'T'});
        assertTrue(java.util.Arrays.equals(expected.toByteArray(), wire.toByteArray()), "head, range, tail in order");
        assertEquals(List.of("opened", "sent " + (3 + content.length - 10 + 2)), h.events);
        assertEquals(1, rig.backend.counters().get("windows.filesSentByWsaSend"));
    }

    @org.junit.jupiter.api.Test
    void sendFileOfAMissingRangeFailsWithoutTransmitFile() throws Exception {
        Path f = Files.write(dir.resolve("small.bin"), new byte[10]);
        TestHandler h = new TestHandler();
        h.onOpened = x -> x.channel.sendFile(null, f, 5, 100, null);
        rig.acceptOne(h);
        verify(rig.ws, never()).transmitFile(anyLong(), anyLong(), anyInt(), anyInt(), anyLong(), anyLong(), anyInt());
        assertEquals("failed", h.events.get(1));
        verify(rig.api, never()).openFileForTransmit(any());
    }
}

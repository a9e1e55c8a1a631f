package io.pxj.runtime.windows;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.pxj.runtime.spi.BackendConfig;
import io.pxj.win32.AcceptAddresses;
import io.pxj.win32.CompletionPort;
import io.pxj.win32.IoCompletionHandler;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.PoolIo;
import io.pxj.win32.PoolTimer;
import io.pxj.win32.PoolWait;
import io.pxj.win32.PoolWork;
import io.pxj.win32.ProtocolInfo;
import io.pxj.win32.SimpleCallback;
import io.pxj.win32.ThreadPool;
import io.pxj.win32.TimerCallback;
import io.pxj.win32.WaitCallback;
import io.pxj.win32.WindowsApi;
import io.pxj.win32.Winsock;
import io.pxj.win32.WorkCallback;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mockito.ArgumentCaptor;

/**
 * Mockito facade + a hand-cranked thread pool: {@code trySubmit} queues callbacks that {@link #runPool()} runs
 * (or, with {@link #inlinePool}, runs them at once); {@link #complete} invokes the IoCompletionHandler captured
 * from {@code createIo} exactly as a pool thread would. Sockets are numbered from 100 in creation order.
 */
final class Rig {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50000);
    /** The base Microsoft TCP/IP provider as Windows (and Wine) report it: XP1_IFS_HANDLES set. */
    static final ProtocolInfo IFS_PROVIDER = new ProtocolInfo(0x20066, 1001,
            java.util.UUID.fromString("e70f1aa0-ab8b-11cf-8ca3-00805f48a192"));
    /** A layered provider without IFS handles. */
    static final ProtocolInfo NON_IFS_PROVIDER = new ProtocolInfo(0x00066, 1010,
            java.util.UUID.fromString("12345678-1234-1234-1234-123456789abc"));

    final WindowsApi api = mock(WindowsApi.class);
    final ThreadPool pool = mock(ThreadPool.class);
    final CompletionPort port = mock(CompletionPort.class);
    final Winsock ws = mock(Winsock.class);
    final PoolWork overflowWork = mock(PoolWork.class);
    final Map<Long, PoolIo> ios = new HashMap<>();
    final Map<Long, IoCompletionHandler> handlers = new HashMap<>();
    final Deque<SimpleCallback> submitted = new ArrayDeque<>();
    final List<TimerCallback> timerCallbacks = new ArrayList<>();
    final List<PoolTimer> timers = new ArrayList<>();
    final List<WaitCallback> waitCallbacks = new ArrayList<>();
    final List<PoolWait> waits = new ArrayList<>();
    WorkCallback overflowCallback;
    boolean inlinePool;
    boolean refuseSubmit;
    private long nextSocket = 100;
    final WindowsBackend backend;

    Rig() throws Exception {
        when(api.winsock()).thenReturn(ws);
        when(api.processorCount()).thenReturn(2);
        when(api.isServerEdition()).thenReturn(true); // TransmitFile; client editions are tested explicitly
        when(api.createThreadPool(anyInt(), anyInt())).thenReturn(pool);
        when(api.createCompletionPort(anyInt())).thenReturn(port);
        when(api.createEvent(anyBoolean(), anyBoolean())).thenReturn(0xE1L);
        when(api.openFileForTransmit(any())).thenReturn(0xF1L);
        when(pool.createWork(any(WorkCallback.class))).thenAnswer(inv -> {
            overflowCallback = inv.getArgument(0);
            return overflowWork;
        });
        when(pool.trySubmit(any(SimpleCallback.class))).thenAnswer(inv -> {
            if (refuseSubmit) return false;
            SimpleCallback cb = inv.getArgument(0);
            if (inlinePool) cb.run();
            else submitted.add(cb);
            return true;
        });
        when(pool.createIo(anyLong(), any())).thenAnswer(inv -> {
            long h = inv.getArgument(0);
            PoolIo io = mock(PoolIo.class);
            when(io.handle()).thenReturn(h);
            ios.put(h, io);
            handlers.put(h, inv.getArgument(1));
            return io;
        });
        when(pool.createTimer(any())).thenAnswer(inv -> {
            timerCallbacks.add(inv.getArgument(0));
            PoolTimer t = mock(PoolTimer.class);
            timers.add(t);
            return t;
        });
        when(pool.createWait(any())).thenAnswer(inv -> {
            waitCallbacks.add(inv.getArgument(0));
            PoolWait w = mock(PoolWait.class);
            waits.add(w);
            return w;
        });
        when(ws.createTcpSocket(any())).thenAnswer(inv -> nextSocket++);
        when(ws.localAddress(anyLong())).thenReturn(LOCAL);
        when(ws.getAcceptExSockaddrs(anyLong(), anyInt())).thenReturn(new AcceptAddresses(LOCAL, REMOTE));
        when(ws.getAcceptExSockaddrs(anyLong(), anyLong(), anyInt())).thenReturn(new AcceptAddresses(LOCAL, REMOTE));
        when(ws.protocolInfo(anyLong())).thenReturn(IFS_PROVIDER);
        when(ws.acceptEx(anyLong(), anyLong(), anyLong(), anyInt(), anyLong())).thenReturn(IoOutcome.PENDING);
        when(ws.wsaRecv(anyLong(), anyLong(), anyInt(), anyInt(), anyLong())).thenReturn(IoOutcome.PENDING);
        when(ws.wsaSend(anyLong(), anyLong(), anyInt(), anyInt(), anyLong())).thenReturn(IoOutcome.PENDING);
        when(ws.transmitFile(anyLong(), anyLong(), anyInt(), anyInt(), anyLong(), anyLong(), anyInt()))
                .thenReturn(IoOutcome.PENDING);
        when(ws.connectEx(anyLong(), anyLong(), anyInt(), anyLong(), anyInt(), anyLong())).thenReturn(IoOutcome.PENDING);
        when(ws.disconnectEx(anyLong(), anyLong(), anyInt())).thenReturn(IoOutcome.PENDING);
        backend = new WindowsBackend(api, new BackendConfig(2, 4, 4, "pxj-windows-"));
    }

    PoolIo io(long socket) {
        return ios.get(socket);
    }

    void runPool() {
        SimpleCallback cb;
        while ((cb = submitted.poll()) != null) cb.run();
    }

    /** Delivers a completion as the pool would, then runs whatever it submitted. */
    void complete(long socket, long overlapped, int error, long bytes) {
        handlers.get(socket).onCompletion(overlapped, error, bytes);
        runPool();
    }

    /** Listens with {@code accepts} posted; the listening socket is 100. */
    WindowsListener listen(int accepts, TestHandler handler) throws Exception {
        WindowsListener l = (WindowsListener) backend.listen(LOCAL, 128, false, accepts, () -> handler);
        runPool();
        return l;
    }

    /** The OVERLAPPED of the last AcceptEx for accept socket {@code socket}. */
    long acceptOv(long socket) {
        ArgumentCaptor<Long> ov = ArgumentCaptor.forClass(Long.class);
        verify(ws, atLeastOnce()).acceptEx(eq(100L), eq(socket), anyLong(), eq(0), ov.capture());
        return ov.getValue();
    }

    long recvOv(long socket) {
        ArgumentCaptor<Long> ov = ArgumentCaptor.forClass(Long.class);
        verify(ws, atLeastOnce()).wsaRecv(eq(socket), anyLong(), eq(1), eq(0), ov.capture());
        return ov.getValue();
    }

    long sendOv(long socket) {
        ArgumentCaptor<Long> ov = ArgumentCaptor.forClass(Long.class);
        verify(ws, atLeastOnce()).wsaSend(eq(socket), anyLong(), anyInt(), eq(0), ov.capture());
        return ov.getValue();
    }

    long disconnectOv(long socket) {
        ArgumentCaptor<Long> ov = ArgumentCaptor.forClass(Long.class);
        verify(ws, atLeastOnce()).disconnectEx(eq(socket), ov.capture(), eq(Winsock.TF_REUSE_SOCKET));
        return ov.getValue();
    }

    /** Listener (socket 100) with one posted accept (socket 101) completed: returns the opened handler. */
    TestHandler acceptOne(TestHandler h) throws Exception {
        listen(1, h);
        complete(100, acceptOv(101), 0, 0);
        return h;
    }
}

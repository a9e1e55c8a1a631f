package io.pxj.win32.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.AcceptAddresses;
import io.pxj.win32.IoCompletionHandler;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.NativeMemory;
import io.pxj.win32.Overlapped;
import io.pxj.win32.PoolIo;
import io.pxj.win32.SockAddr;
import io.pxj.win32.ThreadPool;
import io.pxj.win32.Windows;
import io.pxj.win32.WindowsApi;
import io.pxj.win32.Winsock;
import io.pxj.win32.WsaBufArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A loopback server driven the way the runtime's backend will drive it: one PoolIo per socket, StartThreadpoolIo
 * before every operation, CancelThreadpoolIo on every synchronous outcome (all sockets use skip-on-success),
 * OVERLAPPED + WSABUF + buffer in one native block per operation, completions matched by OVERLAPPED address.
 */
@EnabledIf(value = "io.pxj.win32.Windows#isAvailable", disabledReason = "needs Windows, or the Wine bridge"
        + " (-Dpxj.win32.bridge=wine, as the wine-test execution of the build sets it)")
class LoopbackSocketsWindowsTest {
    private static final int TIMEOUT_S = 30;

    private final Map<Long, CompletableFuture<long[]>> pending = new ConcurrentHashMap<>();
    private final IoCompletionHandler handler = (ov, ioResult, bytes) -> {
        CompletableFuture<long[]> f = pending.remove(ov);
        if (f != null) {
            f.complete(new long[] {ioResult, bytes});
        }
    };
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    private WindowsApi api;
    private Winsock ws;
    private ThreadPool pool;
    private long listen;
    private PoolIo listenIo;
    private int port;

    /** One operation's native memory: OVERLAPPED @0, one WSABUF @32, data @64. */
    private final class Op implements AutoCloseable {
        final NativeMemory mem;
        final Overlapped ov;
        final WsaBufArray buf;
        final int capacity;

        Op(int capacity) {
            this.capacity = capacity;
            mem = NativeMemory.allocate(64L + capacity);
            ov = new Overlapped(mem, 0);
            buf = new WsaBufArray(mem, 32, 1);
            cleanup.add(this);
        }

        long data() {
            return mem.address(64);
        }

        long wsabuf(int length) {
            buf.set(0, data(), length);
            return buf.address();
        }

        @Override
        public void close() {
            mem.close();
        }
    }

    @BeforeEach
    void listen() throws Exception {
        api = Windows.api();
        ws = api.winsock();
        pool = api.createThreadPool(2, 8);
        listen = ws.createTcpSocket(StandardProtocolFamily.INET);
        ws.setExclusiveAddressUse(listen, true);
        ws.bind(listen, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ws.listen(listen, 128);
        ws.setSkipCompletionPortOnSuccess(listen);
        listenIo = pool.createIo(listen, handler);
        port = ws.localAddress(listen).getPort();
    }

    @AfterEach
    void close() throws Exception {
        ws.close(listen);
        listenIo.close();
        pool.close();
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** Starts an operation: StartThreadpoolIo, the call, CancelThreadpoolIo if it finished synchronously. */
    private CompletableFuture<long[]> begin(PoolIo io, Op op, LongSupplier call) {
        op.ov.reset();
        CompletableFuture<long[]> f = new CompletableFuture<>();
        pending.put(op.ov.address(), f);
        io.start();
        long outcome = call.getAsLong();
        if (IoOutcome.isPending(outcome)) {
            return f;
        }
        pending.remove(op.ov.address());
        io.cancel(); // skip-on-success or synchronous failure: no packet will come
        return CompletableFuture.completedFuture(new long[] {IoOutcome.error(outcome),
            IoOutcome.isCompleted(outcome) ? IoOutcome.bytes(outcome) : 0});
    }

    private static long[] ok(CompletableFuture<long[]> f, String what) throws Exception {
        long[] r = f.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(0, r[0], what + " failed with " + r[0]);
        return r;
    }

    private long newSocket() throws Exception {
        long s = ws.createTcpSocket(StandardProtocolFamily.INET);
        ws.setSkipCompletionPortOnSuccess(s);
        return s;
    }

    private CompletableFuture<long[]> accept(long acceptSocket, Op op) {
        return begin(listenIo, op, () -> ws.acceptEx(listen, acceptSocket, op.data(), 0, op.ov.address()));
    }

    /** A server socket accepted with AcceptEx from a ConnectEx client, both with their PoolIo. */
    private record Accepted(long server, Op acceptOp, PoolIo serverIo, long client, PoolIo clientIo) {
    }

    private Accepted acceptOne() throws Exception {
        long acceptSocket = newSocket();
        Op acceptOp = new Op(Winsock.acceptExBufferSize(0));
        CompletableFuture<long[]> accepted = accept(acceptSocket, acceptOp);
        PoolIo[] clientIo = new PoolIo[1];
        long client = connect(clientIo);
        ok(accepted, "AcceptEx");
        ws.updateAcceptContext(acceptSocket, listen);
        return new Accepted(acceptSocket, acceptOp, pool.createIo(acceptSocket, handler), client, clientIo[0]);
    }

    /** A ConnectEx client on a wildcard-bound socket. */
    private long connect(PoolIo[] ioOut) throws Exception {
        long client = newSocket();
        ws.bind(client, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        PoolIo io = pool.createIo(client, handler);
        ioOut[0] = io;
        SockAddr target = SockAddr.allocate();
        cleanup.add(target);
        int len = target.set(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Op op = new Op(0);
        ok(begin(io, op, () -> ws.connectEx(client, target.address(), len, 0, 0, op.ov.address())), "ConnectEx");
        ws.updateConnectContext(client);
        return client;
    }

    private void send(PoolIo io, long socket, byte[] data) throws Exception {
        Op op = new Op(data.length);
        op.mem.write(64, data, 0, data.length);
        long[] r = ok(begin(io, op, () -> ws.wsaSend(socket, op.wsabuf(data.length), 1, 0, op.ov.address())), "WSASend");
        assertEquals(data.length, r[1]);
    }

    private byte[] receive(PoolIo io, long socket, int n) throws Exception {
        byte[] out = new byte[n];
        int got = 0;
        Op op = new Op(n);
        while (got < n) {
            int want = n - got;
            long[] r = ok(begin(io, op, () -> ws.wsaRecv(socket, op.wsabuf(want), 1, 0, op.ov.address())), "WSARecv");
            assertTrue(r[1] > 0, "unexpected EOF after " + got + " bytes");
            op.mem.read(64, out, got, (int) r[1]);
            got += (int) r[1];
        }
        return out;
    }

    private void echoOnce(PoolIo clientIo, long client, PoolIo serverIo, long server, String text) throws Exception {
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        send(clientIo, client, msg);
        byte[] atServer = receive(serverIo, server, msg.length);
        send(serverIo, server, atServer);
        assertArrayEquals(msg, receive(clientIo, client, msg.length));
    }

    @Test
    void acceptConnectEchoTransmitFileAndCancel(@TempDir Path dir) throws Exception {
        // Pre-posted AcceptEx (the backend posts cores x 4 of them).
        long acceptSocket = newSocket();
        Op acceptOp = new Op(Winsock.acceptExBufferSize(0));
        CompletableFuture<long[]> accepted = accept(acceptSocket, acceptOp);
        assertTrue(!accepted.isDone() || accepted.get()[0] == 0, "AcceptEx with no client yet");

        PoolIo[] clientIo = new PoolIo[1];
        long client = connect(clientIo);
        ok(accepted, "AcceptEx");
        ws.updateAcceptContext(acceptSocket, listen);
        AcceptAddresses addrs = ws.getAcceptExSockaddrs(acceptOp.data(), 0);
        assertEquals(port, addrs.local().getPort());
        assertEquals(ws.localAddress(client).getPort(), addrs.remote().getPort());
        assertEquals(ws.remoteAddress(acceptSocket), addrs.remote());
        ws.setTcpNoDelay(acceptSocket, true);
        PoolIo serverIo = pool.createIo(acceptSocket, handler);

        echoOnce(clientIo[0], client, serverIo, acceptSocket, "hello, parallel contexts");

        // TransmitFile of 10 MB, then of a range (offset in the OVERLAPPED), verified by SHA-256.
        byte[] content = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(content);
        Path file = dir.resolve("ten-mb.bin");
        Files.write(file, content);
        long fh = api.openFileForTransmit(file);
        try {
            transmitAndVerify(serverIo, acceptSocket, clientIo[0], client, fh, content, 0, content.length);
            transmitAndVerify(serverIo, acceptSocket, clientIo[0], client, fh, content, 1_000_001, 3_000_000);
        } finally {
            api.closeHandle(fh);
        }

        // CancelIoEx on a pending receive completes it with ERROR_OPERATION_ABORTED.
        Op recvOp = new Op(16);
        CompletableFuture<long[]> recv = begin(serverIo, recvOp,
                () -> ws.wsaRecv(acceptSocket, recvOp.wsabuf(16), 1, 0, recvOp.ov.address()));
        assertTrue(!recv.isDone(), "nothing was sent, the receive must pend");
        assertTrue(ws.cancelIoEx(acceptSocket, recvOp.ov.address()));
        assertEquals(995, recv.get(TIMEOUT_S, TimeUnit.SECONDS)[0]);
        echoOnce(clientIo[0], client, serverIo, acceptSocket, "still usable after a cancel");

        ws.close(client);
        clientIo[0].close();
        ws.close(acceptSocket);
        serverIo.close();
        assertTrue(serverIo.isClosed());
    }

    @Test
    @DisabledIf(value = "io.pxj.win32.Windows#isBridged", disabledReason = "Wine deviation DISCONNECTEX_REUSE:"
            + " Wine does not implement DisconnectEx(TF_REUSE_SOCKET); see disconnectExReuseOverWine")
    void disconnectExRecyclesTheSocketForTheNextAcceptEx() throws Exception {
        Accepted a = acceptOne();
        long acceptSocket = a.server();
        Op acceptOp = a.acceptOp();
        PoolIo[] clientIo = {a.clientIo()};
        long client = a.client();
        PoolIo serverIo = a.serverIo();
        echoOnce(clientIo[0], client, serverIo, acceptSocket, "before the disconnect");

        // The client closes first (so the server side has no TIME_WAIT), then DisconnectEx(TF_REUSE_SOCKET).
        ws.close(client);
        clientIo[0].close();
        Op discOp = new Op(0);
        ok(begin(serverIo, discOp, () -> ws.disconnectEx(acceptSocket, discOp.ov.address(), Winsock.TF_REUSE_SOCKET)),
                "DisconnectEx");

        // The same socket (and its PoolIo: a handle is bound to one port for life) serves the next AcceptEx.
        CompletableFuture<long[]> again = accept(acceptSocket, acceptOp);
        PoolIo[] client2Io = new PoolIo[1];
        long client2 = connect(client2Io);
        ok(again, "AcceptEx on the recycled socket");
        ws.updateAcceptContext(acceptSocket, listen);
        assertEquals(ws.localAddress(client2).getPort(), ws.getAcceptExSockaddrs(acceptOp.data(), 0).remote().getPort());
        echoOnce(client2Io[0], client2, serverIo, acceptSocket, "recycled socket");

        ws.close(client2);
        client2Io[0].close();
        ws.close(acceptSocket);
        serverIo.close();
        serverIo.close();
        assertTrue(serverIo.isClosed());
        assertEquals(0, serverIo.pendingOperations());
    }

    /** What the bridge answers instead (the shim): a graceful shutdown and WSAEOPNOTSUPP, so callers close the socket. */
    @Test
    @EnabledIf(value = "io.pxj.win32.Windows#isBridged", disabledReason = "shows a Wine deviation: bridge only")
    void disconnectExReuseOverWine() throws Exception {
        Accepted a = acceptOne();
        long acceptSocket = a.server();
        Op acceptOp = a.acceptOp();
        PoolIo[] clientIo = {a.clientIo()};
        long client = a.client();
        PoolIo serverIo = a.serverIo();
        Op discOp = new Op(0);
        serverIo.start();
        long r = ws.disconnectEx(acceptSocket, discOp.ov.address(), Winsock.TF_REUSE_SOCKET);
        serverIo.cancel(); // a synchronous failure queues no packet
        assertEquals(IoOutcome.failed(10045), r, IoOutcome.describe(r));
        // The graceful shutdown happened: the client reads EOF.
        Op recvOp = new Op(16);
        assertEquals(0, ok(begin(clientIo[0], recvOp, () -> ws.wsaRecv(client, recvOp.wsabuf(16), 1, 0,
                recvOp.ov.address())), "WSARecv of the FIN")[1]);
        ws.close(client);
        clientIo[0].close();
        ws.close(acceptSocket);
        serverIo.close();
    }

    /** Polls until {@code cond} holds or the test timeout passes. */
    private static boolean eventually(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void closingAListenerWithAcceptsPendingClosesItsPoolIoOnceAfterTheAbortedCompletions() throws Exception {
        long l = ws.createTcpSocket(StandardProtocolFamily.INET);
        ws.bind(l, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ws.listen(l, 16);
        ws.setSkipCompletionPortOnSuccess(l);
        PoolIo io = pool.createIo(l, handler);
        int n = 4;
        List<CompletableFuture<long[]>> accepts = new ArrayList<>();
        List<Long> acceptSockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long a = newSocket();
            acceptSockets.add(a);
            Op op = new Op(Winsock.acceptExBufferSize(0));
            accepts.add(begin(io, op, () -> ws.acceptEx(l, a, op.data(), 0, op.ov.address())));
        }
        assertEquals(n, io.pendingOperations(), "no client: every AcceptEx pends");
        long closedBefore = pool.ioObjectsClosed();

        io.close(); // requested while the accepts are pending: CloseThreadpoolIo must wait for them
        assertTrue(io.isClosed());
        assertEquals(closedBefore, pool.ioObjectsClosed(), "CloseThreadpoolIo deferred while I/O is outstanding");
        IllegalStateException refused = assertThrows(IllegalStateException.class, io::start);
        assertTrue(refused.getMessage().contains("StartThreadpoolIo"), refused.getMessage());
        assertEquals(n, io.pendingOperations());

        ws.cancelIoEx(l, 0); // as WindowsListener.close(): CancelIoEx, then closesocket
        ws.close(l); // the accepts complete with ERROR_OPERATION_ABORTED through the handler
        for (CompletableFuture<long[]> f : accepts) {
            assertEquals(995, f.get(TIMEOUT_S, TimeUnit.SECONDS)[0]);
        }
        assertTrue(eventually(() -> pool.ioObjectsClosed() == closedBefore + 1), "closed after the last completion");
        assertEquals(0, io.pendingOperations());
        io.close();
        Thread.sleep(100);
        assertEquals(closedBefore + 1, pool.ioObjectsClosed(), "exactly once");
        assertTrue(pending.isEmpty(), "every completion reached the handler: " + pending.keySet());
        for (long a : acceptSockets) {
            ws.close(a);
        }
    }

    @Test
    void abortiveCloseOfASocketWithAReceivePendingClosesItsPoolIoOnceAfterTheAbortedCompletion() throws Exception {
        Accepted a = acceptOne();
        long acceptSocket = a.server();
        Op acceptOp = a.acceptOp();
        PoolIo[] clientIo = {a.clientIo()};
        long client = a.client();
        PoolIo serverIo = a.serverIo();

        Op recvOp = new Op(16);
        CompletableFuture<long[]> recv = begin(serverIo, recvOp,
                () -> ws.wsaRecv(acceptSocket, recvOp.wsabuf(16), 1, 0, recvOp.ov.address()));
        assertFalse(recv.isDone(), "nothing was sent, the receive must pend");
        long closedBefore = pool.ioObjectsClosed();

        serverIo.close(); // the runtime's abortive close: close requested, then CancelIoEx + closesocket
        assertEquals(closedBefore, pool.ioObjectsClosed(), "deferred while the receive is pending");
        ws.cancelIoEx(acceptSocket, 0);
        ws.close(acceptSocket);
        assertEquals(995, recv.get(TIMEOUT_S, TimeUnit.SECONDS)[0]);
        assertTrue(eventually(() -> pool.ioObjectsClosed() == closedBefore + 1), "closed after the aborted receive");
        assertEquals(0, serverIo.pendingOperations());
        serverIo.close();
        Thread.sleep(100);
        assertEquals(closedBefore + 1, pool.ioObjectsClosed(), "exactly once");

        ws.close(client);
        clientIo[0].close(); // nothing pending (once the ConnectEx callback has returned): closed then
        assertTrue(eventually(() -> pool.ioObjectsClosed() == closedBefore + 2));
        assertTrue(pending.isEmpty(), "every completion reached the handler: " + pending.keySet());
    }

    private void transmitAndVerify(PoolIo serverIo, long server, PoolIo clientIo, long client, long fh, byte[] content,
                                   long offset, int length) throws Exception {
        Op tf = new Op(0);
        CompletableFuture<long[]> sent = begin(serverIo, tf, () -> {
            tf.ov.setFileOffset(offset);
            return ws.transmitFile(server, fh, length, 0, tf.ov.address(), 0, 0);
        });
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        Op rx = new Op(256 * 1024);
        byte[] chunk = new byte[rx.capacity];
        long total = 0;
        while (total < length) {
            long[] r = ok(begin(clientIo, rx, () -> ws.wsaRecv(client, rx.wsabuf(rx.capacity), 1, 0, rx.ov.address())),
                    "WSARecv (file)");
            assertTrue(r[1] > 0, "EOF after " + total + " of " + length);
            rx.mem.read(64, chunk, 0, (int) r[1]);
            received.update(chunk, 0, (int) r[1]);
            total += r[1];
        }
        assertEquals(length, total);
        long[] s = ok(sent, "TransmitFile");
        assertEquals(length, s[1]);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        expected.update(content, (int) offset, length);
        assertArrayEquals(expected.digest(), received.digest(), "SHA-256 of the transmitted range");
    }
}

package io.pxj.win32;

import io.pxj.win32.WineBridge.Op;
import io.pxj.win32.WineBridge.Reply;
import io.pxj.win32.raw.Constants;
import io.pxj.win32.raw.Structs.OVERLAPPED;
import io.pxj.win32.raw.Structs.TRANSMIT_FILE_BUFFERS;
import io.pxj.win32.raw.Structs.WSAPROTOCOL_INFOW;
import io.pxj.win32.raw.Structs.WSABUF;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link Winsock} executed by the Wine bridge's helper.
 *
 * <h2>Memory by direction</h2>
 * The addresses the backend passes (OVERLAPPED, WSABUF arrays, buffers, TRANSMIT_FILE_BUFFERS, sockaddrs) are JVM
 * memory and never leave the JVM. Each overlapped call registers a {@link PendingOp} under a fresh id <i>before</i>
 * the call (its completion may arrive on a pool thread before the call returns), copies what the operation reads
 * (bytes to send, head and tail, the target sockaddr) into the request, and the helper runs the real call on a block
 * of its own. What the operation writes (received bytes, the AcceptEx buffer with its addresses) comes back with the
 * completion, or with a synchronous success, and is copied into the JVM buffers exactly once, before the JVM-side
 * handler runs; OVERLAPPED.Internal/InternalHigh are written as the kernel would.
 *
 * <h2>Rules checked on the way</h2>
 * A completion whose OVERLAPPED block the JVM already freed, a completion nobody is waiting for, and an OVERLAPPED
 * reused while its operation is pending are reported loudly (logged as errors, counted in {@link #violations()}) and
 * never written to: on Windows each would corrupt memory.
 *
 * <p>Thread-safe.
 */
final class WineWinsock extends IntSocketOptions {
    private static final Logger LOG = LoggerFactory.getLogger(WineWinsock.class);

    private final WineBridge bridge;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, PendingOp> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PendingOp> byOverlapped = new ConcurrentHashMap<>();
    private final LongAdder violations = new LongAdder();

    /** One overlapped operation the helper may still complete. */
    static final class PendingOp {
        final long id;
        final long overlapped;
        final long socket;
        /** Where received bytes go: JVM addresses and lengths, in order (receive: WSABUFs; AcceptEx: its buffer). */
        final long[] targets;
        final int[] lengths;
        /** The helper's block (for CancelIoEx); 0 until the call returned. */
        volatile long helperBlock;
        final AtomicBoolean copied = new AtomicBoolean();
        final AtomicBoolean done = new AtomicBoolean();

        PendingOp(long id, long overlapped, long socket, long[] targets, int[] lengths) {
            this.id = id;
            this.overlapped = overlapped;
            this.socket = socket;
            this.targets = targets;
            this.lengths = lengths;
        }
    }

    WineWinsock(WineBridge bridge) {
        this.bridge = bridge;
    }

    /** Broken memory rules seen so far (see the class comment); tests require 0. */
    long violations() {
        return violations.sum();
    }

    /** Operations the helper may still complete. */
    int pendingOperations() {
        return byId.size();
    }

    private void violation(String what) {
        violations.increment();
        LOG.error("Wine bridge: memory rule broken: {}", what);
    }

    // ================================================================ plain calls

    private WindowsException error(String function, Reply r) {
        return new WindowsException(function, r.error() != 0 ? r.error() : Constants.ERROR_GEN_FAILURE);
    }

    private void check(String function, Reply r) throws WindowsException {
        if (r.ret() < 0) {
            throw error(function, r);
        }
    }

    @Override
    public long createTcpSocket(StandardProtocolFamily family) throws WindowsException {
        int af = addressFamily(family);
        Reply r = bridge.call(Op.WS_SOCKET).i32(af).invoke("WSASocketW");
        check("WSASocketW", r);
        return r.ret();
    }

    @Override
    void setInt(long socket, int level, int option, int value, String name) throws WindowsException {
        String f = "setsockopt(" + name + ")";
        check(f, bridge.call(Op.WS_SETSOCKOPT_INT).i64(socket).i32(level).i32(option).i32(value).invoke(f));
    }

    @Override
    public void setLinger(long socket, boolean on, int seconds) throws WindowsException {
        if (seconds < 0 || seconds > 0xFFFF) {
            throw new IllegalArgumentException("linger seconds " + seconds);
        }
        check("setsockopt(SO_LINGER)", bridge.call(Op.WS_SET_LINGER).i64(socket).bool(on).i32(seconds)
                .invoke("setsockopt(SO_LINGER)"));
    }

    @Override
    public void updateAcceptContext(long accepted, long listenSocket) throws WindowsException {
        String f = "setsockopt(SO_UPDATE_ACCEPT_CONTEXT)";
        check(f, bridge.call(Op.WS_UPDATE_ACCEPT).i64(accepted).i64(listenSocket).invoke(f));
    }

    @Override
    public void updateConnectContext(long socket) throws WindowsException {
        String f = "setsockopt(SO_UPDATE_CONNECT_CONTEXT)";
        check(f, bridge.call(Op.WS_UPDATE_CONNECT).i64(socket).invoke(f));
    }

    @Override
    public int pendingError(long socket) throws WindowsException {
        Reply r = bridge.call(Op.WS_SO_ERROR).i64(socket).invoke("getsockopt(SO_ERROR)");
        check("getsockopt(SO_ERROR)", r);
        return (int) r.ret();
    }

    @Override
    public void bind(long socket, InetSocketAddress local) throws WindowsException {
        String f = "bind(" + local + ")";
        check(f, bridge.call(Op.WS_BIND).i64(socket).bytes(SockAddr.toBytes(local)).invoke(f));
    }

    @Override
    public void listen(long socket, int backlog) throws WindowsException {
        check("listen", bridge.call(Op.WS_LISTEN).i64(socket).i32(backlog).invoke("listen"));
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws WindowsException {
        return name(Op.WS_SOCKNAME, "getsockname", socket);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws WindowsException {
        return name(Op.WS_PEERNAME, "getpeername", socket);
    }

    private InetSocketAddress name(int op, String f, long socket) throws WindowsException {
        Reply r = bridge.call(op).i64(socket).invoke(f);
        check(f, r);
        byte[] b = r.bytes();
        return SockAddr.fromBytes(b, 0, b.length);
    }

    @Override
    public void shutdown(long socket, int how) throws WindowsException {
        check("shutdown", bridge.call(Op.WS_SHUTDOWN).i64(socket).i32(how).invoke("shutdown"));
    }

    @Override
    public void close(long socket) throws WindowsException {
        check("closesocket", bridge.call(Op.WS_CLOSE).i64(socket).invoke("closesocket"));
    }

    @Override
    public void setSkipCompletionPortOnSuccess(long socket) throws WindowsException {
        String f = "SetFileCompletionNotificationModes";
        Reply r = bridge.call(Op.WS_SKIP_ON_SUCCESS).i64(socket).invoke(f);
        if (r.ret() == 0) {
            throw error(f, r);
        }
    }

    @Override
    public ProtocolInfo protocolInfo(long socket) throws WindowsException {
        String f = "getsockopt(SO_PROTOCOL_INFOW)";
        Reply r = bridge.call(Op.WS_PROTOCOL_INFO).i64(socket).invoke(f);
        check(f, r);
        ByteBuffer info = ByteBuffer.wrap(r.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] g = new byte[16];
        info.get(WSAPROTOCOL_INFOW.ProviderId, g);
        return new ProtocolInfo(info.getInt(WSAPROTOCOL_INFOW.dwServiceFlags1),
                info.getInt(WSAPROTOCOL_INFOW.dwCatalogEntryId), NativeWinsock.guidToUuid(g));
    }

    @Override
    public boolean cancelIoEx(long handle, long overlapped) throws WindowsException {
        long block = 0;
        if (overlapped != 0) {
            PendingOp op = byOverlapped.get(overlapped);
            if (op == null) {
                return false; // nothing in flight on that OVERLAPPED: ERROR_NOT_FOUND
            }
            block = awaitBlock(op);
            if (block == 0) {
                return false; // completed meanwhile
            }
        }
        Reply r = bridge.call(Op.WS_CANCEL_IO).i64(handle).i64(block).invoke("CancelIoEx");
        if (r.ret() != 0) {
            return true;
        }
        if (r.error() == Constants.ERROR_NOT_FOUND) {
            return false;
        }
        throw error("CancelIoEx", r);
    }

    /** The helper block of {@code op}, once its call returned (a cancel can race the call itself); 0 if done. */
    private static long awaitBlock(PendingOp op) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (op.helperBlock == 0 && !op.done.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return op.done.get() ? 0 : op.helperBlock;
    }

    // ================================================================ overlapped calls

    private PendingOp register(long overlapped, long socket, long[] targets, int[] lengths) {
        if (overlapped == 0) {
            throw new IllegalArgumentException("overlapped operations need an OVERLAPPED");
        }
        if (!NativeMemory.isLive(overlapped, OVERLAPPED.SIZEOF)) {
            throw new IllegalArgumentException("OVERLAPPED 0x" + Long.toHexString(overlapped)
                    + " is not in live native memory");
        }
        PendingOp op = new PendingOp(ids.incrementAndGet(), overlapped, socket, targets, lengths);
        PendingOp previous = byOverlapped.putIfAbsent(overlapped, op);
        if (previous != null) {
            violation("OVERLAPPED 0x" + Long.toHexString(overlapped) + " reused while operation " + previous.id
                    + " on socket " + previous.socket + " is still pending");
            byOverlapped.put(overlapped, op);
        }
        byId.put(op.id, op);
        // Zeroed by the caller before every operation; the kernel writes STATUS_PENDING while it owns it.
        NativeMemory.putLongAt(overlapped + OVERLAPPED.Internal, Constants.STATUS_PENDING);
        return op;
    }

    private void forget(PendingOp op) {
        op.done.set(true);
        byId.remove(op.id, op);
        byOverlapped.remove(op.overlapped, op);
    }

    /**
     * The reply of an overlapped call: i64 ret, u32 error, u32 completion-follows, u64 helper block, u32
     * OVERLAPPED.Internal, payload. Copies
     * a synchronous success's payload, and forgets the operation if no completion will follow.
     */
    private long outcome(PendingOp op, Reply r) {
        ByteBuffer in = r.in();
        int fate = in.getInt();
        boolean follows = (fate & 1) != 0;
        if ((fate & 2) != 0) {
            WineDeviations.report(WineDeviations.DISCONNECTEX_PENDING);
        }
        if ((fate & 4) != 0) {
            WineDeviations.report(WineDeviations.DISCONNECTEX_REUSE);
        }
        long block = in.getLong();
        int ntStatus = in.getInt();
        int n = in.getInt();
        long ret = r.ret();
        if (ret >= 0) {
            deliver(op, in, n);
            writeStatus(op, ntStatus, ret);
        } else if (ret != IoOutcome.PENDING) {
            writeStatus(op, ntStatus, 0);
        } else {
            // What the helper's OVERLAPPED said when the call returned (STATUS_PENDING, or done already).
            NativeMemory.putLongAt(op.overlapped + OVERLAPPED.Internal, Integer.toUnsignedLong(ntStatus));
        }
        if (follows) {
            op.helperBlock = block;
        } else {
            forget(op);
        }
        if (ret >= 0) {
            return IoOutcome.completed(ret);
        }
        if (ret == IoOutcome.PENDING) {
            return IoOutcome.PENDING;
        }
        return IoOutcome.failed(r.error() != 0 ? r.error() : Constants.ERROR_GEN_FAILURE);
    }

    /**
     * A completion for operation {@code id} (from a pool thread's I/O callback, or a port dequeue): copies its payload
     * into the JVM buffers and returns the JVM OVERLAPPED address, or 0 if the completion must not be delivered.
     */
    long completed(long id, int error, long bytes, int ntStatus, ByteBuffer payload, int payloadLength) {
        PendingOp op = byId.get(id);
        if (op == null) {
            violation("completion (error " + error + ", " + bytes + " bytes) for operation " + id
                    + ", which nobody is waiting for");
            return 0;
        }
        forget(op);
        if (!NativeMemory.isLive(op.overlapped, OVERLAPPED.SIZEOF)) {
            violation("completion (error " + error + ", " + bytes + " bytes) for OVERLAPPED 0x"
                    + Long.toHexString(op.overlapped) + " on socket " + op.socket
                    + ", whose memory was freed while the operation was pending");
            return 0;
        }
        if (error == 0) {
            deliver(op, payload, payloadLength);
        }
        writeStatus(op, ntStatus, bytes);
        return op.overlapped;
    }

    private void deliver(PendingOp op, ByteBuffer from, int n) {
        if (n == 0 || !op.copied.compareAndSet(false, true)) {
            from.position(from.position() + n);
            return;
        }
        byte[] data = new byte[n];
        from.get(data);
        int at = 0;
        for (int i = 0; i < op.targets.length && at < n; i++) {
            int k = Math.min(op.lengths[i], n - at);
            if (k > 0) {
                if (NativeMemory.isTracked() && !NativeMemory.isLive(op.overlapped, OVERLAPPED.SIZEOF)) {
                    violation("received bytes for freed OVERLAPPED 0x" + Long.toHexString(op.overlapped));
                    return;
                }
                NativeMemory.writeAt(op.targets[i], data, at, k);
            }
            at += k;
        }
    }

    private static void writeStatus(PendingOp op, int ntStatus, long bytes) {
        // What the kernel leaves in the OVERLAPPED: the NTSTATUS and the byte count.
        NativeMemory.putLongAt(op.overlapped + OVERLAPPED.Internal, Integer.toUnsignedLong(ntStatus));
        NativeMemory.putLongAt(op.overlapped + OVERLAPPED.InternalHigh, bytes);
    }

    private static final long[] NO_TARGETS = new long[0];
    private static final int[] NO_LENGTHS = new int[0];

    @Override
    public long acceptEx(long listenSocket, long acceptSocket, long buffer, int receiveDataLength, long overlapped) {
        int size = Winsock.acceptExBufferSize(receiveDataLength);
        PendingOp op = register(overlapped, listenSocket, new long[] {buffer}, new int[] {size});
        return outcome(op, bridge.call(Op.WS_ACCEPTEX).i64(listenSocket).i64(acceptSocket).i32(receiveDataLength)
                .i64(op.id).invoke("AcceptEx"));
    }

    @Override
    public AcceptAddresses getAcceptExSockaddrs(long buffer, int receiveDataLength) {
        int size = Winsock.acceptExBufferSize(receiveDataLength);
        byte[] block = new byte[size];
        NativeMemory.readAt(buffer, block, 0, size);
        Reply r = bridge.call(Op.WS_ACCEPT_ADDRS).i32(receiveDataLength).bytes(block).invoke("GetAcceptExSockaddrs");
        if (r.ret() < 0) {
            throw new IllegalStateException("GetAcceptExSockaddrs failed (error " + r.error() + ")");
        }
        byte[] local = r.bytes();
        byte[] remote = r.bytes();
        return new AcceptAddresses(SockAddr.fromBytes(local, 0, local.length),
                SockAddr.fromBytes(remote, 0, remote.length));
    }

    @Override
    public long connectEx(long socket, long sockaddr, int sockaddrLength, long sendBuffer, int sendLength,
                          long overlapped) {
        byte[] sa = new byte[sockaddrLength];
        NativeMemory.readAt(sockaddr, sa, 0, sockaddrLength);
        byte[] data = new byte[sendLength];
        if (sendLength > 0) {
            NativeMemory.readAt(sendBuffer, data, 0, sendLength);
        }
        PendingOp op = register(overlapped, socket, NO_TARGETS, NO_LENGTHS);
        return outcome(op, bridge.call(Op.WS_CONNECTEX).i64(socket).bytes(sa).bytes(data).i64(op.id)
                .invoke("ConnectEx"));
    }

    @Override
    public long disconnectEx(long socket, long overlapped, int flags) {
        PendingOp op = register(overlapped, socket, NO_TARGETS, NO_LENGTHS);
        return outcome(op, bridge.call(Op.WS_DISCONNECTEX).i64(socket).i32(flags).i64(op.id).invoke("DisconnectEx"));
    }

    @Override
    public long transmitFile(long socket, long file, int bytesToWrite, int bytesPerSend, long overlapped,
                             long transmitBuffers, int flags) {
        byte[] head = new byte[0];
        byte[] tail = new byte[0];
        if (transmitBuffers != 0) {
            head = readBuffer(transmitBuffers + TRANSMIT_FILE_BUFFERS.Head,
                    NativeMemory.getIntAt(transmitBuffers + TRANSMIT_FILE_BUFFERS.HeadLength));
            tail = readBuffer(transmitBuffers + TRANSMIT_FILE_BUFFERS.Tail,
                    NativeMemory.getIntAt(transmitBuffers + TRANSMIT_FILE_BUFFERS.TailLength));
        }
        long offset = Integer.toUnsignedLong(NativeMemory.getIntAt(overlapped + OVERLAPPED.Offset))
                | (long) NativeMemory.getIntAt(overlapped + OVERLAPPED.OffsetHigh) << 32;
        PendingOp op = register(overlapped, socket, NO_TARGETS, NO_LENGTHS);
        return outcome(op, bridge.call(Op.WS_TRANSMITFILE).i64(socket).i64(file).i32(bytesToWrite).i32(bytesPerSend)
                .i32(flags).i64(offset).bool(transmitBuffers != 0).bytes(head).bytes(tail).i64(op.id)
                .invoke("TransmitFile"));
    }

    /** The bytes of a (pointer, length) pair stored at {@code pointerField}. */
    private static byte[] readBuffer(long pointerField, int length) {
        long address = NativeMemory.getLongAt(pointerField);
        byte[] b = new byte[length];
        if (length > 0) {
            NativeMemory.readAt(address, b, 0, length);
        }
        return b;
    }

    @Override
    public long wsaRecv(long socket, long wsabufs, int count, int flags, long overlapped) {
        long[] targets = new long[count];
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            long e = wsabufs + (long) i * WSABUF.SIZEOF;
            lengths[i] = NativeMemory.getIntAt(e + WSABUF.len);
            targets[i] = NativeMemory.getLongAt(e + WSABUF.buf);
        }
        PendingOp op = register(overlapped, socket, targets, lengths);
        WineBridge.Request req = bridge.call(Op.WS_RECV).i64(socket).i32(flags).i32(count).i64(op.id);
        for (int len : lengths) {
            req.i32(len);
        }
        return outcome(op, req.invoke("WSARecv"));
    }

    @Override
    public long wsaSend(long socket, long wsabufs, int count, int flags, long overlapped) {
        int[] lengths = new int[count];
        long total = 0;
        for (int i = 0; i < count; i++) {
            lengths[i] = NativeMemory.getIntAt(wsabufs + (long) i * WSABUF.SIZEOF + WSABUF.len);
            total += Integer.toUnsignedLong(lengths[i]);
        }
        if (total > (64 << 20)) {
            throw new IllegalArgumentException("WSASend of " + total + " bytes exceeds the Wine bridge's 64 MiB frame");
        }
        byte[] data = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            long buf = NativeMemory.getLongAt(wsabufs + (long) i * WSABUF.SIZEOF + WSABUF.buf);
            if (lengths[i] > 0) {
                NativeMemory.readAt(buf, data, at, lengths[i]);
            }
            at += lengths[i];
        }
        PendingOp op = register(overlapped, socket, NO_TARGETS, NO_LENGTHS);
        WineBridge.Request req = bridge.call(Op.WS_SEND).i64(socket).i32(flags).i32(count).i64(op.id);
        for (int len : lengths) {
            req.i32(len);
        }
        req.raw(data, 0, data.length);
        return outcome(op, req.invoke("WSASend"));
    }
}

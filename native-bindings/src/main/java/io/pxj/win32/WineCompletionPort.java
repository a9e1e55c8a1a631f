package io.pxj.win32;

import io.pxj.win32.WineBridge.Op;
import io.pxj.win32.WineBridge.Reply;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link CompletionPort} on a Wine completion port in the bridge's helper. A packet posted with a JVM OVERLAPPED
 * address travels as an opaque value (the kernel never dereferences a posted one); a dequeued I/O completion of an
 * operation issued through {@link WineWinsock} has its received bytes copied into the JVM buffers before it is
 * returned. A blocking dequeue holds one helper connection (and one helper thread) while it waits. Thread-safe.
 */
final class WineCompletionPort implements CompletionPort {
    private final WineBridge bridge;
    private final WineWinsock winsock;
    private final long port;
    private final AtomicBoolean closed = new AtomicBoolean();

    WineCompletionPort(WineBridge bridge, WineWinsock winsock, int concurrency) throws WindowsException {
        this.bridge = bridge;
        this.winsock = winsock;
        Reply r = bridge.call(Op.CP_CREATE).i32(concurrency).invoke("CreateIoCompletionPort");
        if (r.ret() == 0) {
            throw new WindowsException("CreateIoCompletionPort", r.error());
        }
        this.port = r.ret();
    }

    @Override
    public long handle() {
        return port;
    }

    @Override
    public void associate(long handle, long completionKey) throws WindowsException {
        checkOpen();
        Reply r = bridge.call(Op.CP_ASSOCIATE).i64(port).i64(handle).i64(completionKey)
                .invoke("CreateIoCompletionPort(associate)");
        if (r.ret() == 0) {
            throw new WindowsException("CreateIoCompletionPort(associate)", r.error());
        }
    }

    @Override
    public void post(int bytes, long completionKey, long overlappedAddress) throws WindowsException {
        checkOpen();
        Reply r = bridge.call(Op.CP_POST).i64(port).i32(bytes).i64(completionKey).i64(overlappedAddress)
                .invoke("PostQueuedCompletionStatus");
        if (r.ret() == 0) {
            throw new WindowsException("PostQueuedCompletionStatus", r.error());
        }
    }

    private static long timeout(int timeoutMs) {
        return timeoutMs == INFINITE ? WineBridge.NO_DEADLINE : Integer.toUnsignedLong(timeoutMs)
                + WineBridge.CALL_TIMEOUT_MS;
    }

    @Override
    public DequeueStatus dequeue(CompletionResult into, int timeoutMs) throws WindowsException {
        if (closed.get()) {
            return DequeueStatus.CLOSED;
        }
        Reply r = bridge.call(Op.CP_DEQUEUE).i64(port).i32(timeoutMs)
                .invoke("GetQueuedCompletionStatus", timeout(timeoutMs));
        if (r.ret() == 1) {
            ByteBuffer in = r.in();
            long key = in.getLong();
            boolean isOp = in.getInt() != 0;
            long value = in.getLong();
            long bytes = Integer.toUnsignedLong(in.getInt());
            int error = in.getInt();
            int ntStatus = in.getInt();
            long ov = isOp ? winsock.completed(value, error, bytes, ntStatus, in, in.getInt()) : value;
            into.set(key, ov, bytes, error);
            return DequeueStatus.DEQUEUED;
        }
        return failedDequeue("GetQueuedCompletionStatus", r.error()) ? DequeueStatus.TIMEOUT : DequeueStatus.CLOSED;
    }

    @Override
    public int dequeueBatch(CompletionEntries into, int timeoutMs) throws WindowsException {
        if (closed.get()) {
            into.setCount(0);
            return -1;
        }
        Reply r = bridge.call(Op.CP_DEQUEUE_BATCH).i64(port).i32(into.capacity()).i32(timeoutMs)
                .invoke("GetQueuedCompletionStatusEx", timeout(timeoutMs));
        if (r.ret() < 0) {
            into.setCount(0);
            return failedDequeue("GetQueuedCompletionStatusEx", r.error()) ? 0 : -1;
        }
        int n = (int) r.ret();
        ByteBuffer in = r.in();
        into.setCount(n);
        for (int i = 0; i < n; i++) {
            long key = in.getLong();
            boolean isOp = in.getInt() != 0;
            long value = in.getLong();
            int bytes = in.getInt();
            int error = in.getInt();
            int ntStatus = in.getInt();
            long ov;
            if (isOp) {
                ov = winsock.completed(value, error, Integer.toUnsignedLong(bytes), ntStatus, in, in.getInt());
            } else {
                int skip = in.getInt();
                in.position(in.position() + skip);
                ov = value;
                // As GetQueuedCompletionStatusEx reports it: the status is whatever the OVERLAPPED's Internal says.
                error = ov == 0 ? 0 : ntStatusToError(Overlapped.ntStatusAt(ov));
            }
            into.set(i, key, ov, bytes);
            into.setError(i, error);
        }
        return n;
    }

    private int ntStatusToError(int ntStatus) {
        return ntStatus >= 0 ? 0 : (int) bridge.call(Op.NT_TO_DOS).i32(ntStatus).invoke("RtlNtStatusToDosError").ret();
    }

    private boolean failedDequeue(String function, int error) throws WindowsException {
        return NativeCompletionPort.failedDequeue(function, error, closed.get());
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closePort(true);
        }
    }

    /**
     * CloseHandle on the port. Wine does not wake a thread blocked in a dequeue when its port is closed (Windows
     * fails the dequeue with ERROR_ABANDONED_WAIT_0); with {@code shim} the helper first posts a sentinel per waiting
     * dequeue, which it reports as ERROR_ABANDONED_WAIT_0. Returns how many sentinels it posted.
     */
    int closePort(boolean shim) {
        WineDeviations.report(WineDeviations.PORT_CLOSE);
        return bridge.call(Op.CP_CLOSE).i64(port).bool(shim).invoke("CloseHandle").in().getInt();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("completion port closed");
        }
    }
}

package io.pxj.win32;

import com.sun.jna.Native;

import io.pxj.win32.raw.Constants;
import io.pxj.win32.raw.Kernel32;

import java.util.concurrent.atomic.AtomicBoolean;

/** {@link CompletionPort} on a kernel I/O completion port. Thread-safe. */
final class NativeCompletionPort implements CompletionPort {
    private final long port;
    private final AtomicBoolean closed = new AtomicBoolean();

    NativeCompletionPort(int concurrency) throws WindowsException {
        long p = Kernel32.CreateIoCompletionPort(Constants.INVALID_HANDLE_VALUE, 0, 0, concurrency);
        if (p == 0) { // NULL on failure, not INVALID_HANDLE_VALUE
            throw NativeWindowsApi.lastError("CreateIoCompletionPort");
        }
        this.port = p;
    }

    @Override
    public long handle() {
        return port;
    }

    @Override
    public void associate(long handle, long completionKey) throws WindowsException {
        checkOpen();
        if (Kernel32.CreateIoCompletionPort(handle, port, completionKey, 0) == 0) {
            throw NativeWindowsApi.lastError("CreateIoCompletionPort(associate)");
        }
    }

    @Override
    public void post(int bytes, long completionKey, long overlappedAddress) throws WindowsException {
        checkOpen();
        if (Kernel32.PostQueuedCompletionStatus(port, bytes, completionKey, overlappedAddress) == 0) {
            throw NativeWindowsApi.lastError("PostQueuedCompletionStatus");
        }
    }

    @Override
    public DequeueStatus dequeue(CompletionResult into, int timeoutMs) throws WindowsException {
        if (closed.get()) {
            return DequeueStatus.CLOSED;
        }
        NativeMemory s = Scratch.get();
        s.zero(0, 24);
        long base = s.address();
        int ok = Kernel32.GetQueuedCompletionStatus(port, base, base + 8, base + 16, timeoutMs);
        int error = ok != 0 ? 0 : Native.getLastError();
        long overlapped = s.getLong(16);
        if (ok != 0 || overlapped != 0) { // FALSE with an OVERLAPPED: a failed I/O was dequeued
            into.set(s.getLong(8), overlapped, Integer.toUnsignedLong(s.getInt(0)), error);
            return DequeueStatus.DEQUEUED;
        }
        return failedDequeue("GetQueuedCompletionStatus", error) ? DequeueStatus.TIMEOUT : DequeueStatus.CLOSED;
    }

    @Override
    public int dequeueBatch(CompletionEntries into, int timeoutMs) throws WindowsException {
        if (closed.get()) {
            into.setCount(0);
            return -1;
        }
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        int ok = Kernel32.GetQueuedCompletionStatusEx(port, into.address(), into.capacity(), s.address(), timeoutMs, 0);
        if (ok == 0) {
            int error = Native.getLastError();
            into.setCount(0);
            return failedDequeue("GetQueuedCompletionStatusEx", error) ? 0 : -1;
        }
        int n = s.getInt(0);
        into.setCount(n);
        for (int i = 0; i < n; i++) {
            long ov = into.overlappedAddress(i);
            if (ov != 0) { // GQCSEx has no per-entry error: the NTSTATUS is in OVERLAPPED.Internal
                into.setError(i, NativeWindowsApi.ntStatusToError(Overlapped.ntStatusAt(ov)));
            }
        }
        return n;
    }

    private boolean failedDequeue(String function, int error) throws WindowsException {
        return failedDequeue(function, error, closed.get());
    }

    /**
     * A dequeue that returned no packet: true for a timeout, false for a closed port (ERROR_ABANDONED_WAIT_0, or an
     * invalid handle once {@code closed}); throws otherwise.
     */
    static boolean failedDequeue(String function, int error, boolean closed) throws WindowsException {
        if (error == Constants.WAIT_TIMEOUT) {
            return true;
        }
        if (error == Constants.ERROR_ABANDONED_WAIT_0 || error == Constants.ERROR_INVALID_HANDLE && closed) {
            return false;
        }
        throw new WindowsException(function, error);
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Kernel32.CloseHandle(port); // wakes blocked dequeuers with ERROR_ABANDONED_WAIT_0
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("completion port closed");
        }
    }
}

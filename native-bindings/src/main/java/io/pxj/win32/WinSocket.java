package io.pxj.win32;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Owner of one SOCKET: makes {@link #close()} idempotent and race-free (the handle is swapped to
 * INVALID_SOCKET before closesocket, so two closers never close a recycled handle value twice).
 *
 * <p>Thread-safe.
 */
public final class WinSocket implements AutoCloseable {
    /** INVALID_SOCKET (~0). */
    public static final long INVALID_SOCKET = -1L;

    private final Winsock winsock;
    private final AtomicLong handle;

    public WinSocket(Winsock winsock, long handle) {
        if (handle == INVALID_SOCKET || handle == 0) {
            throw new IllegalArgumentException("invalid socket handle " + handle);
        }
        this.winsock = winsock;
        this.handle = new AtomicLong(handle);
    }

    /** The SOCKET, or {@link #INVALID_SOCKET} once closed. */
    public long handle() {
        return handle.get();
    }

    public boolean isOpen() {
        return handle.get() != INVALID_SOCKET;
    }

    /** closesocket once; later calls do nothing. */
    @Override
    public void close() throws WindowsException {
        long h = handle.getAndSet(INVALID_SOCKET);
        if (h != INVALID_SOCKET) {
            winsock.close(h);
        }
    }

    @Override
    public String toString() {
        return "WinSocket[" + (isOpen() ? "0x" + Long.toHexString(handle()) : "closed") + "]";
    }
}

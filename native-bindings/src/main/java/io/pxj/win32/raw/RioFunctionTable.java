package io.pxj.win32.raw;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.pxj.win32.raw.Structs.RIO_EXTENSION_FUNCTION_TABLE;

/**
 * The Registered I/O function table, loaded with {@code WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER,
 * WSAID_MULTIPLE_RIO)} (Windows 8+). PxJ does not use RIO yet: this only loads and exposes the raw function
 * pointers, named as in the SDK's RIO_EXTENSION_FUNCTION_TABLE. Immutable and thread-safe.
 */
public final class RioFunctionTable {
    public final int cbSize;
    public final long RIOReceive;
    public final long RIOReceiveEx;
    public final long RIOSend;
    public final long RIOSendEx;
    public final long RIOCloseCompletionQueue;
    public final long RIOCreateCompletionQueue;
    public final long RIOCreateRequestQueue;
    public final long RIODequeueCompletion;
    public final long RIODeregisterBuffer;
    public final long RIONotify;
    public final long RIORegisterBuffer;
    public final long RIOResizeCompletionQueue;
    public final long RIOResizeRequestQueue;

    /** Decodes a filled table (visible for tests: the layout is checkable without Windows). */
    public RioFunctionTable(Pointer table) {
        cbSize = table.getInt(RIO_EXTENSION_FUNCTION_TABLE.cbSize);
        RIOReceive = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOReceive);
        RIOReceiveEx = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOReceiveEx);
        RIOSend = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOSend);
        RIOSendEx = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOSendEx);
        RIOCloseCompletionQueue = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOCloseCompletionQueue);
        RIOCreateCompletionQueue = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOCreateCompletionQueue);
        RIOCreateRequestQueue = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOCreateRequestQueue);
        RIODequeueCompletion = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIODequeueCompletion);
        RIODeregisterBuffer = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIODeregisterBuffer);
        RIONotify = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIONotify);
        RIORegisterBuffer = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIORegisterBuffer);
        RIOResizeCompletionQueue = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOResizeCompletionQueue);
        RIOResizeRequestQueue = table.getLong(RIO_EXTENSION_FUNCTION_TABLE.RIOResizeRequestQueue);
    }

    /**
     * Loads the table for the provider of {@code socket} (create it with WSA_FLAG_REGISTERED_IO to use RIO on it).
     *
     * @throws WinsockExtensions.LoadFailure with the WSA error code
     */
    public static RioFunctionTable load(long socket) {
        try (Memory m = new Memory(16 + RIO_EXTENSION_FUNCTION_TABLE.SIZEOF + 8)) {
            m.clear();
            byte[] g = Guids.WSAID_MULTIPLE_RIO.toBytes();
            m.write(0, g, 0, g.length);
            long base = Pointer.nativeValue(m);
            long table = base + 16;
            // The caller sets cbSize; the provider checks it.
            m.setInt(16 + RIO_EXTENSION_FUNCTION_TABLE.cbSize, RIO_EXTENSION_FUNCTION_TABLE.SIZEOF);
            int rc = Ws2_32.WSAIoctl(socket, Constants.SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, base, 16, table,
                    RIO_EXTENSION_FUNCTION_TABLE.SIZEOF, table + RIO_EXTENSION_FUNCTION_TABLE.SIZEOF, 0, 0);
            if (rc != 0) {
                throw new WinsockExtensions.LoadFailure("WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER, RIO)",
                        Native.getLastError());
            }
            return new RioFunctionTable(m.share(16));
        }
    }
}

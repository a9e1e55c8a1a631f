package io.pxj.win32.raw;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The mswsock extension functions, loaded as Microsoft recommends through
 * {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)} on a socket of the provider that will use them (the
 * exported mswsock.dll AcceptEx/TransmitFile stubs do that lookup on every call; ConnectEx and DisconnectEx are
 * not exported at all). Invocation goes through {@link Function} with primitive (boxed) arguments: slower
 * than direct mapping, acceptable for per-connection calls, never per byte.
 *
 * <p>Raw: returns the Win32 BOOL / SOCKET_ERROR result; read {@code Native.getLastError()} right after.
 * Immutable and thread-safe once loaded. Windows-only (WSAIoctl).
 */
public final class WinsockExtensions {
    public final long AcceptEx;
    public final long GetAcceptExSockaddrs;
    public final long ConnectEx;
    public final long DisconnectEx;
    public final long TransmitFile;

    private final Function acceptEx;
    private final Function getAcceptExSockaddrs;
    private final Function connectEx;
    private final Function disconnectEx;
    private final Function transmitFile;

    private WinsockExtensions(long[] p) {
        AcceptEx = p[0];
        GetAcceptExSockaddrs = p[1];
        ConnectEx = p[2];
        DisconnectEx = p[3];
        TransmitFile = p[4];
        acceptEx = Function.getFunction(new Pointer(AcceptEx));
        getAcceptExSockaddrs = Function.getFunction(new Pointer(GetAcceptExSockaddrs));
        connectEx = Function.getFunction(new Pointer(ConnectEx));
        disconnectEx = Function.getFunction(new Pointer(DisconnectEx));
        transmitFile = Function.getFunction(new Pointer(TransmitFile));
    }

    /**
     * Loads the five functions for the provider of {@code socket}.
     *
     * @throws IllegalStateException with the WSA error code (as {@link LoadFailure}) if a lookup fails
     */
    public static WinsockExtensions load(long socket) {
        Guid[] guids = {Guids.WSAID_ACCEPTEX, Guids.WSAID_GETACCEPTEXSOCKADDRS, Guids.WSAID_CONNECTEX,
            Guids.WSAID_DISCONNECTEX, Guids.WSAID_TRANSMITFILE};
        long[] pointers = new long[guids.length];
        for (int i = 0; i < guids.length; i++) {
            pointers[i] = functionPointer(socket, guids[i]);
        }
        return new WinsockExtensions(pointers);
    }

    /** WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) for one GUID. */
    public static long functionPointer(long socket, Guid guid) {
        try (Memory m = new Memory(16 + 8 + 8)) {
            m.clear();
            byte[] g = guid.toBytes();
            m.write(0, g, 0, g.length);
            long base = Pointer.nativeValue(m);
            int rc = Ws2_32.WSAIoctl(socket, Constants.SIO_GET_EXTENSION_FUNCTION_POINTER, base, 16, base + 16, 8,
                    base + 24, 0, 0);
            if (rc != 0) {
                throw new LoadFailure("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, " + guid + ")",
                        Native.getLastError());
            }
            long fn = m.getLong(16);
            if (fn == 0) {
                throw new LoadFailure("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, " + guid + ") returned NULL", 0);
            }
            return fn;
        }
    }

    /** A failed extension lookup, with its WSA error code. */
    public static final class LoadFailure extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        public final int errorCode;

        public LoadFailure(String what, int errorCode) {
            super(what + " failed: " + errorCode);
            this.errorCode = errorCode;
        }
    }

    /**
     * {@code BOOL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
     * DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped)}.
     */
    public int AcceptEx(long sListenSocket, long sAcceptSocket, long lpOutputBuffer, int dwReceiveDataLength,
                        int dwLocalAddressLength, int dwRemoteAddressLength, long lpdwBytesReceived,
                        long lpOverlapped) {
        return acceptEx.invokeInt(new Object[] {sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength,
            dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped});
    }

    /**
     * {@code VOID GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
     * DWORD dwRemoteAddressLength, sockaddr **LocalSockaddr, LPINT LocalSockaddrLength, sockaddr **RemoteSockaddr,
     * LPINT RemoteSockaddrLength)}.
     */
    public void GetAcceptExSockaddrs(long lpOutputBuffer, int dwReceiveDataLength, int dwLocalAddressLength,
                                     int dwRemoteAddressLength, long LocalSockaddr, long LocalSockaddrLength,
                                     long RemoteSockaddr, long RemoteSockaddrLength) {
        getAcceptExSockaddrs.invokeVoid(new Object[] {lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
            dwRemoteAddressLength, LocalSockaddr, LocalSockaddrLength, RemoteSockaddr, RemoteSockaddrLength});
    }

    /**
     * {@code BOOL ConnectEx(SOCKET s, const sockaddr *name, int namelen, PVOID lpSendBuffer, DWORD dwSendDataLength,
     * LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped)}.
     */
    public int ConnectEx(long s, long name, int namelen, long lpSendBuffer, int dwSendDataLength, long lpdwBytesSent,
                         long lpOverlapped) {
        return connectEx.invokeInt(new Object[] {s, name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent,
            lpOverlapped});
    }

    /** {@code BOOL DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags, DWORD dwReserved)}. */
    public int DisconnectEx(long s, long lpOverlapped, int dwFlags, int dwReserved) {
        return disconnectEx.invokeInt(new Object[] {s, lpOverlapped, dwFlags, dwReserved});
    }

    /**
     * {@code BOOL TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite, DWORD nNumberOfBytesPerSend,
     * LPOVERLAPPED lpOverlapped, LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved)}.
     */
    public int TransmitFile(long hSocket, long hFile, int nNumberOfBytesToWrite, int nNumberOfBytesPerSend,
                            long lpOverlapped, long lpTransmitBuffers, int dwFlags) {
        return transmitFile.invokeInt(new Object[] {hSocket, hFile, nNumberOfBytesToWrite, nNumberOfBytesPerSend,
            lpOverlapped, lpTransmitBuffers, dwFlags});
    }
}

package io.pxj.win32.raw;

import com.sun.jna.Native;

/**
 * Direct-mapped ws2_32 functions, primitive parameters only (see {@link Kernel32} for the conventions).
 * Winsock errors: {@code Native.getLastError()} right after the call equals WSAGetLastError() (Winsock stores
 * its error in the thread's last-error slot), and unlike a later WSAGetLastError() call it cannot have been
 * overwritten by the JVM in between.
 *
 * <p>Raw and unchecked. Class initialisation registers ws2_32 and throws on a non-Windows OS.
 */
public final class Ws2_32 {
    static {
        WindowsOnly.require("ws2_32");
        Native.register(Ws2_32.class, "ws2_32");
    }

    private Ws2_32() {
    }

    public static native int WSAStartup(short wVersionRequested, long lpWSAData);

    public static native int WSACleanup();

    public static native int WSAGetLastError();

    /** Returns INVALID_SOCKET (~0) on failure. */
    public static native long WSASocketW(int af, int type, int protocol, long lpProtocolInfo, int g, int dwFlags);

    public static native int bind(long s, long name, int namelen);

    public static native int listen(long s, int backlog);

    /** {@code lpFlags} is in/out (address of a DWORD). */
    public static native int WSARecv(long s, long lpBuffers, int dwBufferCount, long lpNumberOfBytesRecvd, long lpFlags,
                                     long lpOverlapped, long lpCompletionRoutine);

    /** {@code dwFlags} by value. */
    public static native int WSASend(long s, long lpBuffers, int dwBufferCount, long lpNumberOfBytesSent, int dwFlags,
                                     long lpOverlapped, long lpCompletionRoutine);

    public static native int WSAIoctl(long s, int dwIoControlCode, long lpvInBuffer, int cbInBuffer, long lpvOutBuffer,
                                      int cbOutBuffer, long lpcbBytesReturned, long lpOverlapped,
                                      long lpCompletionRoutine);

    public static native int WSAGetOverlappedResult(long s, long lpOverlapped, long lpcbTransfer, int fWait,
                                                    long lpdwFlags);

    public static native int setsockopt(long s, int level, int optname, long optval, int optlen);

    /** {@code optlen}: address of an int. */
    public static native int getsockopt(long s, int level, int optname, long optval, long optlen);

    public static native int getsockname(long s, long name, long namelen);

    public static native int getpeername(long s, long name, long namelen);

    public static native int shutdown(long s, int how);

    public static native int closesocket(long s);

    /** {@code argp}: address of a u_long. */
    public static native int ioctlsocket(long s, int cmd, long argp);
}

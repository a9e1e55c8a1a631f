package io.pxj.win32;

import com.sun.jna.Native;

import io.pxj.win32.raw.Constants;
import io.pxj.win32.raw.Kernel32;
import io.pxj.win32.raw.Structs.OVERLAPPED;
import io.pxj.win32.raw.Structs.WSAPROTOCOL_INFOW;
import io.pxj.win32.raw.Structs.linger;
import io.pxj.win32.raw.Structs.sockaddr_storage;
import io.pxj.win32.raw.WinsockExtensions;
import io.pxj.win32.raw.Ws2_32;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Winsock} on ws2_32 + the extension functions. Thread-safe. Out-parameters of synchronous calls live in
 * per-thread {@link Scratch} memory (the kernel writes them before the call returns; for pending operations it
 * reports through the OVERLAPPED instead).
 */
final class NativeWinsock extends IntSocketOptions {
    /**
     * Extension function tables per provider, keyed by the catalog entry id of the provider serving the socket:
     * the pointers WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) returns belong to that provider, and a layered
     * provider (an LSP) has its own entry and its own functions. Almost always one or two entries (the base TCP
     * providers for IPv4 and IPv6).
     */
    private final ConcurrentHashMap<Integer, WinsockExtensions> byProvider = new ConcurrentHashMap<>();
    /** The table of each socket this object created, so the per-call lookup is one map read, not a getsockopt. */
    private final ConcurrentHashMap<Long, WinsockExtensions> bySocket = new ConcurrentHashMap<>();
    /** The table of the most recent lookup: for GetAcceptExSockaddrs calls that name no socket. */
    private volatile WinsockExtensions lastTable;

    private WinsockExtensions ext(long socket) {
        WinsockExtensions e = bySocket.get(socket);
        return e != null ? e : lookup(socket);
    }

    /** The table of {@code socket}'s provider, loading it on the provider's first socket. */
    private WinsockExtensions lookup(long socket) {
        try {
            int provider;
            try {
                provider = protocolInfo(socket).catalogEntryId();
            } catch (WindowsException e) {
                // Bad socket, or a provider that does not report itself: its own lookup below says which.
                return lastTable = WinsockExtensions.load(socket);
            }
            WinsockExtensions e = byProvider.computeIfAbsent(provider, k -> WinsockExtensions.load(socket));
            lastTable = e;
            return e;
        } catch (WinsockExtensions.LoadFailure f) {
            // Not an I/O outcome: the provider lacks mswsock's extensions (or the socket is bad).
            throw new IllegalStateException(f.getMessage(),
                    new WindowsException("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)", f.errorCode));
        }
    }

    @Override
    public ProtocolInfo protocolInfo(long socket) throws WindowsException {
        try (NativeMemory m = NativeMemory.allocate(WSAPROTOCOL_INFOW.SIZEOF + 8)) {
            long len = m.address() + WSAPROTOCOL_INFOW.SIZEOF;
            m.putInt(WSAPROTOCOL_INFOW.SIZEOF, WSAPROTOCOL_INFOW.SIZEOF);
            if (Ws2_32.getsockopt(socket, Constants.SOL_SOCKET, Constants.SO_PROTOCOL_INFOW, m.address(), len) != 0) {
                throw NativeWindowsApi.lastError("getsockopt(SO_PROTOCOL_INFOW)");
            }
            byte[] g = new byte[16];
            m.read(WSAPROTOCOL_INFOW.ProviderId, g, 0, 16);
            return new ProtocolInfo(m.getInt(WSAPROTOCOL_INFOW.dwServiceFlags1),
                    m.getInt(WSAPROTOCOL_INFOW.dwCatalogEntryId), guidToUuid(g));
        }
    }

    /** A GUID's in-memory bytes (Data1..3 little-endian) as the UUID of the same string form. */
    static UUID guidToUuid(byte[] g) {
        ByteBuffer b = ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN);
        long hi = (Integer.toUnsignedLong(b.getInt(0)) << 32) | ((long) (b.getShort(4) & 0xFFFF) << 16)
                | (b.getShort(6) & 0xFFFF);
        long lo = ByteBuffer.wrap(g, 8, 8).order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID(hi, lo);
    }

    @Override
    public long createTcpSocket(StandardProtocolFamily family) throws WindowsException {
        int af = addressFamily(family);
        long s = Ws2_32.WSASocketW(af, Constants.SOCK_STREAM, Constants.IPPROTO_TCP, 0, 0,
                Constants.WSA_FLAG_OVERLAPPED | Constants.WSA_FLAG_NO_HANDLE_INHERIT);
        if (s == Constants.INVALID_SOCKET) {
            throw NativeWindowsApi.lastError("WSASocketW");
        }
        try {
            bySocket.put(s, lookup(s));
        } catch (IllegalStateException e) {
            // Left to the first extension call on this socket, which reports it where it matters.
        }
        return s;
    }

    @Override
    void setInt(long socket, int level, int option, int value, String name) throws WindowsException {
        NativeMemory s = Scratch.get();
        s.putInt(0, value);
        if (Ws2_32.setsockopt(socket, level, option, s.address(), 4) != 0) {
            throw NativeWindowsApi.lastError("setsockopt(" + name + ")");
        }
    }

    @Override
    public void setLinger(long socket, boolean on, int seconds) throws WindowsException {
        if (seconds < 0 || seconds > 0xFFFF) {
            throw new IllegalArgumentException("linger seconds " + seconds);
        }
        NativeMemory s = Scratch.get();
        s.putShort(linger.l_onoff, (short) (on ? 1 : 0)); // Winsock's linger is two u_shorts
        s.putShort(linger.l_linger, (short) seconds);
        if (Ws2_32.setsockopt(socket, Constants.SOL_SOCKET, Constants.SO_LINGER, s.address(), linger.SIZEOF) != 0) {
            throw NativeWindowsApi.lastError("setsockopt(SO_LINGER)");
        }
    }

    @Override
    public void updateAcceptContext(long accepted, long listenSocket) throws WindowsException {
        NativeMemory s = Scratch.get();
        s.putLong(0, listenSocket); // optval is &listenSocket, a SOCKET
        if (Ws2_32.setsockopt(accepted, Constants.SOL_SOCKET, Constants.SO_UPDATE_ACCEPT_CONTEXT, s.address(), 8)
                != 0) {
            throw NativeWindowsApi.lastError("setsockopt(SO_UPDATE_ACCEPT_CONTEXT)");
        }
    }

    @Override
    public void updateConnectContext(long socket) throws WindowsException {
        if (Ws2_32.setsockopt(socket, Constants.SOL_SOCKET, Constants.SO_UPDATE_CONNECT_CONTEXT, 0, 0) != 0) {
            throw NativeWindowsApi.lastError("setsockopt(SO_UPDATE_CONNECT_CONTEXT)");
        }
    }

    @Override
    public int pendingError(long socket) throws WindowsException {
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        s.putInt(8, 4);
        if (Ws2_32.getsockopt(socket, Constants.SOL_SOCKET, Constants.SO_ERROR, s.address(), s.address() + 8) != 0) {
            throw NativeWindowsApi.lastError("getsockopt(SO_ERROR)");
        }
        return s.getInt(0);
    }

    @Override
    public void bind(long socket, InetSocketAddress local) throws WindowsException {
        byte[] b = SockAddr.toBytes(local);
        NativeMemory s = Scratch.get();
        s.write(0, b, 0, b.length);
        if (Ws2_32.bind(socket, s.address(), b.length) != 0) {
            throw NativeWindowsApi.lastError("bind(" + local + ")");
        }
    }

    @Override
    public void listen(long socket, int backlog) throws WindowsException {
        if (Ws2_32.listen(socket, backlog) != 0) {
            throw NativeWindowsApi.lastError("listen");
        }
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws WindowsException {
        return socketName(socket, false);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws WindowsException {
        return socketName(socket, true);
    }

    /** getsockname / getpeername into per-thread scratch: a sockaddr_storage followed by its in/out length. */
    private static InetSocketAddress socketName(long socket, boolean peer) throws WindowsException {
        NativeMemory s = Scratch.get();
        s.zero(0, sockaddr_storage.SIZEOF + 8);
        s.putInt(sockaddr_storage.SIZEOF, sockaddr_storage.SIZEOF);
        long addr = s.address(), len = addr + sockaddr_storage.SIZEOF;
        int rc = peer ? Ws2_32.getpeername(socket, addr, len) : Ws2_32.getsockname(socket, addr, len);
        if (rc != 0) {
            throw NativeWindowsApi.lastError(peer ? "getpeername" : "getsockname");
        }
        return SockAddr.decodeAt(addr, s.getInt(sockaddr_storage.SIZEOF));
    }

    @Override
    public void shutdown(long socket, int how) throws WindowsException {
        if (Ws2_32.shutdown(socket, how) != 0) {
            throw NativeWindowsApi.lastError("shutdown");
        }
    }

    @Override
    public void close(long socket) throws WindowsException {
        bySocket.remove(socket); // before closesocket: Windows may hand the value to another socket at once
        if (Ws2_32.closesocket(socket) != 0) {
            throw NativeWindowsApi.lastError("closesocket");
        }
    }

    @Override
    public void setSkipCompletionPortOnSuccess(long socket) throws WindowsException {
        byte flags = (byte) (Constants.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | Constants.FILE_SKIP_SET_EVENT_ON_HANDLE);
        if (Kernel32.SetFileCompletionNotificationModes(socket, flags) == 0) {
            throw NativeWindowsApi.lastError("SetFileCompletionNotificationModes");
        }
    }

    @Override
    public long acceptEx(long listenSocket, long acceptSocket, long buffer, int receiveDataLength, long overlapped) {
        requireOverlapped(overlapped);
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        int ok = ext(listenSocket).AcceptEx(listenSocket, acceptSocket, buffer, receiveDataLength,
                ACCEPTEX_ADDRESS_LENGTH, ACCEPTEX_ADDRESS_LENGTH, s.address(), overlapped);
        return outcome(ok != 0, s);
    }

    @Override
    public AcceptAddresses getAcceptExSockaddrs(long buffer, int receiveDataLength) {
        NativeMemory s = Scratch.get();
        s.zero(0, 32);
        // out: [0] sockaddr* local, [8] int localLen, [16] sockaddr* remote, [24] int remoteLen
        WinsockExtensions e = lastTable;
        if (e == null) {
            throw new IllegalStateException("GetAcceptExSockaddrs before any AcceptEx");
        }
        return acceptAddresses(e, buffer, receiveDataLength, s);
    }

    @Override
    public AcceptAddresses getAcceptExSockaddrs(long listenSocket, long buffer, int receiveDataLength) {
        NativeMemory s = Scratch.get();
        s.zero(0, 32);
        return acceptAddresses(ext(listenSocket), buffer, receiveDataLength, s);
    }

    private static AcceptAddresses acceptAddresses(WinsockExtensions e, long buffer, int receiveDataLength,
                                                   NativeMemory s) {
        long b = s.address();
        e.GetAcceptExSockaddrs(buffer, receiveDataLength, ACCEPTEX_ADDRESS_LENGTH, ACCEPTEX_ADDRESS_LENGTH,
                b, b + 8, b + 16, b + 24);
        InetSocketAddress local = SockAddr.decodeAt(s.getLong(0), s.getInt(8));
        InetSocketAddress remote = SockAddr.decodeAt(s.getLong(16), s.getInt(24));
        return new AcceptAddresses(local, remote);
    }

    @Override
    public long connectEx(long socket, long sockaddr, int sockaddrLength, long sendBuffer, int sendLength,
                          long overlapped) {
        requireOverlapped(overlapped);
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        int ok = ext(socket).ConnectEx(socket, sockaddr, sockaddrLength, sendBuffer, sendLength, s.address(),
                overlapped);
        return outcome(ok != 0, s);
    }

    @Override
    public long disconnectEx(long socket, long overlapped, int flags) {
        requireOverlapped(overlapped);
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        int ok = ext(socket).DisconnectEx(socket, overlapped, flags, 0);
        return outcome(ok != 0, s);
    }

    @Override
    public long transmitFile(long socket, long file, int bytesToWrite, int bytesPerSend, long overlapped,
                             long transmitBuffers, int flags) {
        requireOverlapped(overlapped);
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        int ok = ext(socket).TransmitFile(socket, file, bytesToWrite, bytesPerSend, overlapped, transmitBuffers, flags);
        if (ok != 0) {
            // TransmitFile reports no byte count on synchronous success; the OVERLAPPED's InternalHigh has it.
            return IoOutcome.completed(NativeMemory.getLongAt(overlapped + OVERLAPPED.InternalHigh));
        }
        return failure(Native.getLastError());
    }

    @Override
    public long wsaRecv(long socket, long wsabufs, int count, int flags, long overlapped) {
        requireOverlapped(overlapped);
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        s.putInt(8, flags); // lpFlags is in/out
        int rc = Ws2_32.WSARecv(socket, wsabufs, count, s.address(), s.address() + 8, overlapped, 0);
        return outcome(rc == 0, s);
    }

    @Override
    public long wsaSend(long socket, long wsabufs, int count, int flags, long overlapped) {
        requireOverlapped(overlapped);
        NativeMemory s = Scratch.get();
        s.putInt(0, 0);
        int rc = Ws2_32.WSASend(socket, wsabufs, count, s.address(), flags, overlapped, 0);
        return outcome(rc == 0, s);
    }

    @Override
    public boolean cancelIoEx(long handle, long overlapped) throws WindowsException {
        if (Kernel32.CancelIoEx(handle, overlapped) != 0) {
            return true;
        }
        int error = Native.getLastError();
        if (error == Constants.ERROR_NOT_FOUND) {
            return false;
        }
        throw new WindowsException("CancelIoEx", error);
    }

    /** Success: completed with the DWORD byte count at scratch[0]; else pending or failed from the last error. */
    private static long outcome(boolean success, NativeMemory scratch) {
        if (success) {
            return IoOutcome.completed(Integer.toUnsignedLong(scratch.getInt(0)));
        }
        return failure(Native.getLastError()); // read first: nothing may run between the call and this
    }

    private static long failure(int error) {
        if (error == 0) {
            // failed without setting an error: never report success
            return IoOutcome.failed(Constants.ERROR_GEN_FAILURE);
        }
        return error == Constants.ERROR_IO_PENDING ? IoOutcome.PENDING : IoOutcome.failed(error);
    }

    private static void requireOverlapped(long overlapped) {
        if (overlapped == 0) {
            throw new IllegalArgumentException("overlapped operations need an OVERLAPPED");
        }
    }
}

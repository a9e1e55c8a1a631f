package io.pxj.win32;

import io.pxj.win32.raw.Constants;
import io.pxj.win32.raw.Structs.sockaddr_storage;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * Overlapped TCP sockets (ws2_32 + the mswsock extension functions obtained with
 * SIO_GET_EXTENSION_FUNCTION_POINTER). Sockets are plain SOCKET values ({@code long}), like the JDK's native
 * dispatchers: the owner (a connection) closes each exactly once (or wraps it in {@link WinSocket}).
 *
 * <p>Overlapped operations return an {@link IoOutcome} and never throw for the normal outcomes (pending,
 * completed synchronously, failed with an error code); they throw only for misuse (closed memory, bad
 * arguments, or an IllegalStateException caused by a {@link WindowsException} if the extension functions cannot be
 * loaded on first use). All memory they are given (OVERLAPPED, WSABUF arrays, buffers, TRANSMIT_FILE_BUFFERS) must stay
 * allocated until the operation's completion is seen or its synchronous outcome returned.
 *
 * <p>Thread-safe; overlapped operations on one socket may be issued from different threads (one receive and
 * one send at a time per socket is the usual discipline).
 */
public interface Winsock {
    /** Bytes per address area of an AcceptEx buffer: AcceptEx wants 16 more than the largest address. */
    int ACCEPTEX_ADDRESS_LENGTH = sockaddr_storage.SIZEOF + 16;

    /** Size of an AcceptEx output buffer receiving {@code receiveDataLength} bytes of first data. */
    static int acceptExBufferSize(int receiveDataLength) {
        return receiveDataLength + 2 * ACCEPTEX_ADDRESS_LENGTH;
    }

    /** SD_RECEIVE / SD_SEND / SD_BOTH for {@link #shutdown}. */
    int SD_RECEIVE = Constants.SD_RECEIVE;
    int SD_SEND = Constants.SD_SEND;
    int SD_BOTH = Constants.SD_BOTH;

    /** TF_DISCONNECT / TF_REUSE_SOCKET for {@link #transmitFile} and {@link #disconnectEx}. */
    int TF_DISCONNECT = Constants.TF_DISCONNECT;
    int TF_REUSE_SOCKET = Constants.TF_REUSE_SOCKET;

    /** WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT). */
    long createTcpSocket(StandardProtocolFamily family) throws WindowsException;

    void setTcpNoDelay(long socket, boolean on) throws WindowsException;

    void setExclusiveAddressUse(long socket, boolean on) throws WindowsException;

    void setReuseAddress(long socket, boolean on) throws WindowsException;

    void setSendBufferSize(long socket, int bytes) throws WindowsException;

    void setReceiveBufferSize(long socket, int bytes) throws WindowsException;

    void setIpv6Only(long socket, boolean on) throws WindowsException;

    /** SO_LINGER; {@code on == false} restores the default graceful close. */
    void setLinger(long socket, boolean on, int seconds) throws WindowsException;

    /** SO_UPDATE_ACCEPT_CONTEXT: required after AcceptEx completes, before using {@code accepted}. */
    void updateAcceptContext(long accepted, long listenSocket) throws WindowsException;

    /** SO_UPDATE_CONNECT_CONTEXT: required after ConnectEx completes. */
    void updateConnectContext(long socket) throws WindowsException;

    /** getsockopt(SO_ERROR). */
    int pendingError(long socket) throws WindowsException;

    void bind(long socket, InetSocketAddress local) throws WindowsException;

    void listen(long socket, int backlog) throws WindowsException;

    InetSocketAddress localAddress(long socket) throws WindowsException;

    InetSocketAddress remoteAddress(long socket) throws WindowsException;

    void shutdown(long socket, int how) throws WindowsException;

    /** closesocket; pending operations complete with an error (995/64/1236). */
    void close(long socket) throws WindowsException;

    /**
     * SetFileCompletionNotificationModes(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE).
     * Only for sockets whose {@link #protocolInfo provider} returns IFS handles: Windows accepts the call for a
     * non-IFS layered provider too, and skip-on-success is then unsafe.
     */
    void setSkipCompletionPortOnSuccess(long socket) throws WindowsException;

    /**
     * getsockopt(SOL_SOCKET, SO_PROTOCOL_INFOW) into a WSAPROTOCOL_INFOW: the provider that serves {@code socket}.
     * The default (for implementations that cannot tell) fails with WSAENOPROTOOPT, which callers treat as "not
     * an IFS provider": the safe choice.
     */
    default ProtocolInfo protocolInfo(long socket) throws WindowsException {
        throw new WindowsException("getsockopt(SO_PROTOCOL_INFOW)", Constants.WSAENOPROTOOPT);
    }

    /**
     * AcceptEx. {@code accept} is a fresh (or DisconnectEx-recycled) socket of the same family; {@code buffer}
     * holds {@link #acceptExBufferSize acceptExBufferSize(receiveDataLength)} bytes.
     */
    long acceptEx(long listenSocket, long acceptSocket, long buffer, int receiveDataLength, long overlapped);

    /** GetAcceptExSockaddrs over a completed AcceptEx buffer. */
    AcceptAddresses getAcceptExSockaddrs(long buffer, int receiveDataLength);

    /**
     * GetAcceptExSockaddrs of the provider serving {@code listenSocket} (the one whose AcceptEx filled
     * {@code buffer}). The default ignores the socket: right whenever all sockets share one provider.
     */
    default AcceptAddresses getAcceptExSockaddrs(long listenSocket, long buffer, int receiveDataLength) {
        return getAcceptExSockaddrs(buffer, receiveDataLength);
    }

    /**
     * ConnectEx to the sockaddr at {@code sockaddr} ({@link SockAddr}); the socket must be bound (wildcard,
     * port 0) first. Optional first data in {@code sendBuffer}/{@code sendLength} (0/0 for none).
     */
    long connectEx(long socket, long sockaddr, int sockaddrLength, long sendBuffer, int sendLength, long overlapped);

    /** DisconnectEx; {@code flags} {@link #TF_REUSE_SOCKET} makes the socket reusable for AcceptEx/ConnectEx. */
    long disconnectEx(long socket, long overlapped, int flags);

    /**
     * TransmitFile of {@code bytesToWrite} bytes (0 = to end of file) from {@code file} at the offset set in the
     * OVERLAPPED ({@link Overlapped#setFileOffset}); {@code transmitBuffers} is a TRANSMIT_FILE_BUFFERS address or 0.
     */
    long transmitFile(long socket, long file, int bytesToWrite, int bytesPerSend, long overlapped,
                      long transmitBuffers, int flags);

    /** WSARecv into {@code count} WSABUFs at {@code wsabufs} ({@link WsaBufArray}); flags normally 0. */
    long wsaRecv(long socket, long wsabufs, int count, int flags, long overlapped);

    /** WSASend of {@code count} WSABUFs (a gathering write). */
    long wsaSend(long socket, long wsabufs, int count, int flags, long overlapped);

    /**
     * CancelIoEx(handle, overlapped) (overlapped 0 = all operations on the handle issued by any thread).
     *
     * @return true if a cancel was requested (the operation will complete with 995), false if nothing matched
     *         (ERROR_NOT_FOUND: it already completed)
     */
    boolean cancelIoEx(long handle, long overlapped) throws WindowsException;
}

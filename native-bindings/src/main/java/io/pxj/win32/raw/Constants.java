package io.pxj.win32.raw;

import com.sun.jna.platform.win32.NTStatus;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;

/**
 * Win32 / Winsock constants, named exactly as in the SDK headers. DWORD values above 0x7FFFFFFF are stored as
 * their int bit pattern (e.g. {@link #INFINITE} is -1). Checked against the golden ABI output by the ABI test.
 *
 * <p>Error numbers and the file, wait and version constants JNA Platform declares are taken from its
 * {@link WinError} / {@link WinNT} / {@link WinBase} /
 * {@link NTStatus} (one source, checked by the ABI test like the rest); JNA
 * Platform has no Winsock option, ioctl or flag constants, so those are written here.
 *
 * <p>Pure constants: loads no native code. The JNA Platform values are compile-time constants, inlined by javac:
 * no JNA Platform class is loaded at run time.
 */
public final class Constants {
    private Constants() {
    }

    // --- WSAIoctl codes ---
    public static final int SIO_GET_EXTENSION_FUNCTION_POINTER = 0xC8000006;
    public static final int SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER = 0xC8000024;
    public static final int SIO_BASE_HANDLE = 0x48000022;

    // --- socket options ---
    public static final int SOL_SOCKET = 0xFFFF;
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_LINGER = 0x0080;
    /** {@code ((int)(~SO_REUSEADDR))}. */
    public static final int SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_RCVBUF = 0x1002;
    public static final int SO_ERROR = 0x1007;
    public static final int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
    public static final int SO_UPDATE_CONNECT_CONTEXT = 0x7010;
    public static final int SO_PROTOCOL_INFOW = 0x2005;
    /** WSAPROTOCOL_INFOW.dwServiceFlags1: the provider returns IFS handles. */
    public static final int XP1_IFS_HANDLES = 0x00020000;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 0x0001;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 27;

    // --- sockets ---
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    public static final int SOCK_STREAM = 1;
    public static final int SOMAXCONN = 0x7FFFFFFF;
    public static final int SD_RECEIVE = 0;
    public static final int SD_SEND = 1;
    public static final int SD_BOTH = 2;
    public static final int WSA_FLAG_OVERLAPPED = 0x01;
    public static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
    public static final int WSA_FLAG_REGISTERED_IO = 0x100;
    public static final int MSG_PARTIAL = 0x8000;
    /** SOCKET is UINT_PTR: all ones. */
    public static final long INVALID_SOCKET = ~0L;
    public static final int SOCKET_ERROR = -1;
    /** MAKEWORD(2, 2). */
    public static final short WINSOCK_VERSION_2_2 = 0x0202;

    // --- TransmitFile / DisconnectEx flags ---
    public static final int TF_DISCONNECT = 0x01;
    public static final int TF_REUSE_SOCKET = 0x02;
    public static final int TF_USE_KERNEL_APC = 0x20;

    // --- SetFileCompletionNotificationModes ---
    public static final int FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
    public static final int FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

    // --- OSVERSIONINFOEXW.wProductType ---
    public static final int VER_NT_WORKSTATION = WinNT.VER_NT_WORKSTATION;
    public static final int VER_NT_DOMAIN_CONTROLLER = WinNT.VER_NT_DOMAIN_CONTROLLER;
    public static final int VER_NT_SERVER = WinNT.VER_NT_SERVER;

    // --- waits / timeouts ---
    public static final int INFINITE = WinBase.INFINITE;
    public static final int WAIT_OBJECT_0 = WinBase.WAIT_OBJECT_0;
    public static final int WAIT_TIMEOUT = WinError.WAIT_TIMEOUT;

    // --- thread pool ---
    public static final int TP_CALLBACK_PRIORITY_HIGH = 0;
    public static final int TP_CALLBACK_PRIORITY_NORMAL = 1;
    public static final int TP_CALLBACK_PRIORITY_LOW = 2;

    // --- files / handles ---
    public static final long INVALID_HANDLE_VALUE = -1L;
    public static final int GENERIC_READ = WinNT.GENERIC_READ;
    public static final int FILE_SHARE_READ = WinNT.FILE_SHARE_READ;
    public static final int FILE_SHARE_WRITE = WinNT.FILE_SHARE_WRITE;
    public static final int FILE_SHARE_DELETE = WinNT.FILE_SHARE_DELETE;
    public static final int OPEN_EXISTING = WinNT.OPEN_EXISTING;
    public static final int FILE_FLAG_OVERLAPPED = WinNT.FILE_FLAG_OVERLAPPED;
    public static final int FILE_FLAG_SEQUENTIAL_SCAN = WinNT.FILE_FLAG_SEQUENTIAL_SCAN;

    // --- NTSTATUS ---
    public static final int STATUS_SUCCESS = NTStatus.STATUS_SUCCESS;
    public static final int STATUS_PENDING = WinNT.STATUS_PENDING;

    // --- Win32 errors ---
    public static final int ERROR_SUCCESS = WinError.ERROR_SUCCESS;
    public static final int ERROR_INVALID_HANDLE = WinError.ERROR_INVALID_HANDLE;
    public static final int ERROR_GEN_FAILURE = WinError.ERROR_GEN_FAILURE;
    public static final int ERROR_HANDLE_EOF = WinError.ERROR_HANDLE_EOF;
    public static final int ERROR_NETNAME_DELETED = WinError.ERROR_NETNAME_DELETED;
    public static final int ERROR_INVALID_PARAMETER = WinError.ERROR_INVALID_PARAMETER;
    public static final int ERROR_MORE_DATA = WinError.ERROR_MORE_DATA;
    public static final int ERROR_ABANDONED_WAIT_0 = WinError.ERROR_ABANDONED_WAIT_0;
    public static final int ERROR_OPERATION_ABORTED = WinError.ERROR_OPERATION_ABORTED;
    public static final int ERROR_IO_PENDING = WinError.ERROR_IO_PENDING;
    public static final int ERROR_NOT_FOUND = WinError.ERROR_NOT_FOUND;
    public static final int ERROR_CONNECTION_REFUSED = WinError.ERROR_CONNECTION_REFUSED;
    public static final int ERROR_CONNECTION_ABORTED = WinError.ERROR_CONNECTION_ABORTED;

    // --- WSA errors (JNA Platform has no WSA_IO_PENDING: winsock2.h defines it as ERROR_IO_PENDING) ---
    public static final int WSA_IO_PENDING = ERROR_IO_PENDING;
    public static final int WSAEACCES = WinError.WSAEACCES;
    public static final int WSAEINVAL = WinError.WSAEINVAL;
    public static final int WSAEWOULDBLOCK = WinError.WSAEWOULDBLOCK;
    public static final int WSAENOTSOCK = WinError.WSAENOTSOCK;
    public static final int WSAENOPROTOOPT = WinError.WSAENOPROTOOPT;
    public static final int WSAEADDRINUSE = WinError.WSAEADDRINUSE;
    public static final int WSAECONNABORTED = WinError.WSAECONNABORTED;
    public static final int WSAECONNRESET = WinError.WSAECONNRESET;
    public static final int WSAENOBUFS = WinError.WSAENOBUFS;
    public static final int WSAENOTCONN = WinError.WSAENOTCONN;
    public static final int WSAESHUTDOWN = WinError.WSAESHUTDOWN;
    public static final int WSAETIMEDOUT = WinError.WSAETIMEDOUT;
    public static final int WSAECONNREFUSED = WinError.WSAECONNREFUSED;
    public static final int WSANOTINITIALISED = WinError.WSANOTINITIALISED;

    // --- Registered I/O (SDK; not in mingw-w64 10) ---
    public static final int RIO_EVENT_COMPLETION = 1;
    public static final int RIO_IOCP_COMPLETION = 2;
    public static final int RIO_CORRUPT_CQ = 0xFFFFFFFF;
}

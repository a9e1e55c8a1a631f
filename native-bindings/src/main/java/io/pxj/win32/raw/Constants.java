package io.pxj.win32.raw;

/**
 * Win32 / Winsock constants, named exactly as in the SDK headers. DWORD values above 0x7FFFFFFF are stored as
 * their int bit pattern (e.g. {@link #INFINITE} is -1). Checked against the golden ABI output by the ABI test.
 *
 * <p>Pure constants: loads no native code.
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
    public static final int VER_NT_WORKSTATION = 1;
    public static final int VER_NT_DOMAIN_CONTROLLER = 2;
    public static final int VER_NT_SERVER = 3;

    // --- waits / timeouts ---
    public static final int INFINITE = 0xFFFFFFFF;
    public static final int WAIT_OBJECT_0 = 0;
    public static final int WAIT_TIMEOUT = 258;

    // --- thread pool ---
    public static final int TP_CALLBACK_PRIORITY_HIGH = 0;
    public static final int TP_CALLBACK_PRIORITY_NORMAL = 1;
    public static final int TP_CALLBACK_PRIORITY_LOW = 2;

    // --- files / handles ---
    public static final long INVALID_HANDLE_VALUE = -1L;
    public static final int GENERIC_READ = 0x80000000;
    public static final int FILE_SHARE_READ = 0x1;
    public static final int FILE_SHARE_WRITE = 0x2;
    public static final int FILE_SHARE_DELETE = 0x4;
    public static final int OPEN_EXISTING = 3;
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    public static final int FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000;
    public static final int FORMAT_MESSAGE_IGNORE_INSERTS = 0x200;
    public static final int FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;

    // --- NTSTATUS ---
    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_PENDING = 0x103;

    // --- Win32 errors ---
    public static final int ERROR_SUCCESS = 0;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_HANDLE_EOF = 38;
    public static final int ERROR_NETNAME_DELETED = 64;
    public static final int ERROR_MORE_DATA = 234;
    public static final int ERROR_ABANDONED_WAIT_0 = 735;
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_IO_PENDING = 997;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_CONNECTION_REFUSED = 1225;
    public static final int ERROR_CONNECTION_ABORTED = 1236;

    // --- WSA errors ---
    public static final int WSA_IO_PENDING = ERROR_IO_PENDING;
    public static final int WSAEACCES = 10013;
    public static final int WSAEINVAL = 10022;
    public static final int WSAEWOULDBLOCK = 10035;
    public static final int WSAENOTSOCK = 10038;
    public static final int WSAEADDRINUSE = 10048;
    public static final int WSAECONNABORTED = 10053;
    public static final int WSAECONNRESET = 10054;
    public static final int WSAENOBUFS = 10055;
    public static final int WSAENOTCONN = 10057;
    public static final int WSAESHUTDOWN = 10058;
    public static final int WSAETIMEDOUT = 10060;
    public static final int WSAECONNREFUSED = 10061;
    public static final int WSANOTINITIALISED = 10093;

    // --- Registered I/O (SDK; not in mingw-w64 10) ---
    public static final int RIO_EVENT_COMPLETION = 1;
    public static final int RIO_IOCP_COMPLETION = 2;
    public static final int RIO_CORRUPT_CQ = 0xFFFFFFFF;
}

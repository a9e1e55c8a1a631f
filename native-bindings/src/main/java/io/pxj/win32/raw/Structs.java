package io.pxj.win32.raw;

/**
 * x64 layouts of every Win32 structure PxJ touches, as byte offsets over raw native memory (never JNA
 * {@code Structure}s: those copy every field before and after each call, which for a kernel-owned OVERLAPPED is a
 * data race, not just a cost). Class and field names are the C names, so the ABI test can match them against
 * the golden output of {@code native-bindings/src/test/abi/run}; each class declares {@code SIZEOF}
 * ({@code sizeof(T)}) and then its fields' offsets in the C declaration order, as one declaration.
 *
 * <p>Pure constants: loads no native code, usable on any OS.
 */
@SuppressWarnings({"checkstyle:ConstantName", "checkstyle:TypeName"})
public final class Structs {
    private Structs() {
    }

    /**
     * <pre>
     * typedef struct _OVERLAPPED {
     *   ULONG_PTR Internal;       // NTSTATUS of the operation (STATUS_PENDING while in flight)
     *   ULONG_PTR InternalHigh;   // bytes transferred
     *   union { struct { DWORD Offset; DWORD OffsetHigh; }; PVOID Pointer; };
     *   HANDLE    hEvent;
     * } OVERLAPPED;
     * </pre>
     */
    public static final class OVERLAPPED {
        public static final int SIZEOF = 32, Internal = 0, InternalHigh = 8, Offset = 16, OffsetHigh = 20, Pointer = 16,
                hEvent = 24;

        private OVERLAPPED() {
        }
    }

    /**
     * <pre>
     * typedef struct _OVERLAPPED_ENTRY {
     *   ULONG_PTR    lpCompletionKey;
     *   LPOVERLAPPED lpOverlapped;
     *   ULONG_PTR    Internal;                    // reserved
     *   DWORD        dwNumberOfBytesTransferred;  // + 4 bytes padding
     * } OVERLAPPED_ENTRY;
     * </pre>
     */
    public static final class OVERLAPPED_ENTRY {
        public static final int SIZEOF = 32, lpCompletionKey = 0, lpOverlapped = 8, Internal = 16,
                dwNumberOfBytesTransferred = 24;

        private OVERLAPPED_ENTRY() {
        }
    }

    /**
     * The Windows 7+ callback environment (TP_CALLBACK_ENVIRON is TP_CALLBACK_ENVIRON_V3 with _WIN32_WINNT >= WIN7).
     * <pre>
     * typedef struct _TP_CALLBACK_ENVIRON_V3 {
     *   TP_VERSION                         Version;              // DWORD = 3 (+4 padding)
     *   PTP_POOL                           Pool;
     *   PTP_CLEANUP_GROUP                  CleanupGroup;
     *   PTP_CLEANUP_GROUP_CANCEL_CALLBACK  CleanupGroupCancelCallback;
     *   PVOID                              RaceDll;
     *   struct _ACTIVATION_CONTEXT        *ActivationContext;
     *   PTP_SIMPLE_CALLBACK                FinalizationCallback;
     *   union { DWORD Flags; struct { DWORD LongFunction : 1; DWORD Persistent : 1; DWORD Private : 30; } s; } u;
     *   TP_CALLBACK_PRIORITY               CallbackPriority;     // int
     *   DWORD                              Size;                 // sizeof(TP_CALLBACK_ENVIRON_V3) (+4 padding)
     * } TP_CALLBACK_ENVIRON_V3;
     * </pre>
     * Filled by inline header functions, re-implemented in {@link ThreadpoolEnvironment}. Offset {@code u} is that
     * of {@code u.Flags}, whose bits are the {@code FLAG_} constants.
     */
    public static final class TP_CALLBACK_ENVIRON_V3 {
        public static final int SIZEOF = 72, Version = 0, Pool = 8, CleanupGroup = 16, CleanupGroupCancelCallback = 24,
                RaceDll = 32, ActivationContext = 40, FinalizationCallback = 48, u = 56, CallbackPriority = 60,
                Size = 64;

        /** {@code u.s.LongFunction} bit of {@code u.Flags}. */
        public static final int FLAG_LongFunction = 1;
        /** {@code u.s.Persistent} bit of {@code u.Flags}. */
        public static final int FLAG_Persistent = 2;

        private TP_CALLBACK_ENVIRON_V3() {
        }
    }

    /** <pre>typedef struct _FILETIME { DWORD dwLowDateTime; DWORD dwHighDateTime; } FILETIME;</pre> */
    public static final class FILETIME {
        public static final int SIZEOF = 8, dwLowDateTime = 0, dwHighDateTime = 4;

        private FILETIME() {
        }
    }

    /** <pre>typedef struct _WSABUF { ULONG len; /* +4 padding *&#47; CHAR *buf; } WSABUF;</pre> */
    public static final class WSABUF {
        public static final int SIZEOF = 16, len = 0, buf = 8;

        private WSABUF() {
        }
    }

    /**
     * x64 order (differs from x86: the two u16 limits come before the strings).
     * <pre>
     * typedef struct WSAData {
     *   WORD wVersion; WORD wHighVersion; unsigned short iMaxSockets; unsigned short iMaxUdpDg;
     *   char *lpVendorInfo; char szDescription[WSADESCRIPTION_LEN+1]; char szSystemStatus[WSASYS_STATUS_LEN+1];
     * } WSADATA;
     * </pre>
     */
    public static final class WSADATA {
        public static final int SIZEOF = 408, wVersion = 0, wHighVersion = 2, iMaxSockets = 4, iMaxUdpDg = 6,
                lpVendorInfo = 8, szDescription = 16, szSystemStatus = 273;

        private WSADATA() {
        }
    }

    /**
     * <pre>
     * struct sockaddr_in { ADDRESS_FAMILY sin_family; USHORT sin_port; /* network order *&#47;
     *                      IN_ADDR sin_addr; CHAR sin_zero[8]; };
     * </pre>
     */
    public static final class sockaddr_in {
        public static final int SIZEOF = 16, sin_family = 0, sin_port = 2, sin_addr = 4, sin_zero = 8;

        private sockaddr_in() {
        }
    }

    /**
     * <pre>
     * struct sockaddr_in6 { ADDRESS_FAMILY sin6_family; USHORT sin6_port; ULONG sin6_flowinfo;
     *                       IN6_ADDR sin6_addr; ULONG sin6_scope_id; };
     * </pre>
     */
    public static final class sockaddr_in6 {
        public static final int SIZEOF = 28, sin6_family = 0, sin6_port = 2, sin6_flowinfo = 4, sin6_addr = 8,
                sin6_scope_id = 24;

        private sockaddr_in6() {
        }
    }

    /** <pre>struct sockaddr_storage { ADDRESS_FAMILY ss_family; ... };  // 128 bytes, 8-aligned</pre> */
    public static final class sockaddr_storage {
        public static final int SIZEOF = 128;

        private sockaddr_storage() {
        }
    }

    /**
     * <pre>
     * typedef struct _TRANSMIT_FILE_BUFFERS { LPVOID Head; DWORD HeadLength; /* +4 *&#47;
     *                                         LPVOID Tail; DWORD TailLength; /* +4 *&#47; } TRANSMIT_FILE_BUFFERS;
     * </pre>
     */
    public static final class TRANSMIT_FILE_BUFFERS {
        public static final int SIZEOF = 32, Head = 0, HeadLength = 8, Tail = 16, TailLength = 24;

        private TRANSMIT_FILE_BUFFERS() {
        }
    }

    /** <pre>typedef struct _GUID { ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]; } GUID;</pre> */
    public static final class GUID {
        public static final int SIZEOF = 16, Data1 = 0, Data2 = 4, Data3 = 6, Data4 = 8;

        private GUID() {
        }
    }

    /** <pre>struct linger { u_short l_onoff; u_short l_linger; };  // Winsock: two u_shorts, not ints</pre> */
    public static final class linger {
        public static final int SIZEOF = 4, l_onoff = 0, l_linger = 2;

        private linger() {
        }
    }

    /**
     * Only the fields PxJ reads.
     * <pre>
     * typedef struct _SYSTEM_INFO { union { DWORD dwOemId; struct { WORD wProcessorArchitecture; WORD wReserved; }; };
     *   DWORD dwPageSize; LPVOID lpMinimumApplicationAddress; LPVOID lpMaximumApplicationAddress;
     *   DWORD_PTR dwActiveProcessorMask; DWORD dwNumberOfProcessors; DWORD dwProcessorType;
     *   DWORD dwAllocationGranularity; WORD wProcessorLevel; WORD wProcessorRevision; } SYSTEM_INFO;
     * </pre>
     */
    public static final class SYSTEM_INFO {
        public static final int SIZEOF = 48, dwPageSize = 4, dwNumberOfProcessors = 32;

        private SYSTEM_INFO() {
        }
    }

    /**
     * Only the fields PxJ reads (getsockopt SO_PROTOCOL_INFOW).
     * <pre>
     * typedef struct _WSAPROTOCOL_INFOW { DWORD dwServiceFlags1; DWORD dwServiceFlags2; DWORD dwServiceFlags3;
     *   DWORD dwServiceFlags4; DWORD dwProviderFlags; GUID ProviderId; DWORD dwCatalogEntryId;
     *   WSAPROTOCOLCHAIN ProtocolChain; int iVersion; int iAddressFamily; ... WCHAR szProtocol[256];
     * } WSAPROTOCOL_INFOW;
     * </pre>
     */
    public static final class WSAPROTOCOL_INFOW {
        public static final int SIZEOF = 628, dwServiceFlags1 = 0, ProviderId = 20, dwCatalogEntryId = 36;

        private WSAPROTOCOL_INFOW() {
        }
    }

    /**
     * Only the fields PxJ reads (ntdll!RtlGetVersion, which unlike GetVersionEx is not shimmed by the manifest).
     * <pre>
     * typedef struct _OSVERSIONINFOEXW { DWORD dwOSVersionInfoSize; DWORD dwMajorVersion; DWORD dwMinorVersion;
     *   DWORD dwBuildNumber; DWORD dwPlatformId; WCHAR szCSDVersion[128]; WORD wServicePackMajor;
     *   WORD wServicePackMinor; WORD wSuiteMask; BYTE wProductType; BYTE wReserved; } OSVERSIONINFOEXW;
     * </pre>
     */
    public static final class OSVERSIONINFOEXW {
        public static final int SIZEOF = 284, dwOSVersionInfoSize = 0, dwMajorVersion = 4, dwBuildNumber = 12,
                wProductType = 282;

        private OSVERSIONINFOEXW() {
        }
    }

    /**
     * From the Windows SDK (mswsockdef.h / mswsock.h; mingw-w64 lacks RIO, so the ABI test checks these against
     * the SDK values it keeps itself). DWORD cbSize then 13 function pointers.
     */
    public static final class RIO_EXTENSION_FUNCTION_TABLE {
        public static final int SIZEOF = 112, cbSize = 0, RIOReceive = 8, RIOReceiveEx = 16, RIOSend = 24,
                RIOSendEx = 32, RIOCloseCompletionQueue = 40, RIOCreateCompletionQueue = 48, RIOCreateRequestQueue = 56,
                RIODequeueCompletion = 64, RIODeregisterBuffer = 72, RIONotify = 80, RIORegisterBuffer = 88,
                RIOResizeCompletionQueue = 96, RIOResizeRequestQueue = 104;

        private RIO_EXTENSION_FUNCTION_TABLE() {
        }
    }

    /** <pre>typedef struct _RIO_BUF { RIO_BUFFERID BufferId; ULONG Offset; ULONG Length; } RIO_BUF;</pre> */
    public static final class RIO_BUF {
        public static final int SIZEOF = 16, BufferId = 0, Offset = 8, Length = 12;

        private RIO_BUF() {
        }
    }

    /**
     * <pre>
     * typedef struct _RIORESULT { LONG Status; ULONG BytesTransferred;
     *                             ULONGLONG SocketContext; ULONGLONG RequestContext; } RIORESULT;
     * </pre>
     */
    public static final class RIORESULT {
        public static final int SIZEOF = 24, Status = 0, BytesTransferred = 4, SocketContext = 8, RequestContext = 16;

        private RIORESULT() {
        }
    }

    /**
     * <pre>
     * typedef struct _RIO_NOTIFICATION_COMPLETION {
     *   RIO_NOTIFICATION_COMPLETION_TYPE Type;   // int: RIO_EVENT_COMPLETION 1, RIO_IOCP_COMPLETION 2 (+4)
     *   union { struct { HANDLE EventHandle; BOOL NotifyReset; } Event;
     *           struct { HANDLE IocpHandle; PVOID CompletionKey; PVOID Overlapped; } Iocp; };
     * } RIO_NOTIFICATION_COMPLETION;
     * </pre>
     */
    public static final class RIO_NOTIFICATION_COMPLETION {
        public static final int SIZEOF = 32, Type = 0, Event_EventHandle = 8, Event_NotifyReset = 16,
                Iocp_IocpHandle = 8, Iocp_CompletionKey = 16, Iocp_Overlapped = 24;

        private RIO_NOTIFICATION_COMPLETION() {
        }
    }
}

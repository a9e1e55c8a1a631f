/* Prints the x64 Windows ABI facts the Java bindings must agree with, as the mingw-w64 headers define them:
 * struct sizes, field offsets, constants and extension-function GUIDs. One fact per line:
 *   size   NAME BYTES
 *   offset NAME.FIELD BYTES
 *   const  NAME VALUE        (decimal)
 *   guid   NAME xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
 * Run by ./run (mingw-w64, then Wine); its output is src/test/resources/win-abi.txt, which AbiTest reads.
 * mingw-w64 has no Registered I/O declarations and no SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER: AbiTest keeps
 * those as Windows SDK values.
 */
#define WIN32_NO_STATUS /* windows.h without the NTSTATUS values, which ntstatus.h then defines */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#define SIZE(T) printf("size %s %u\n", #T, (unsigned)sizeof(T))
#define OFF(T, F) printf("offset %s.%s %u\n", #T, #F, (unsigned)offsetof(T, F))
#define VALUE(C) printf("const %s %lld\n", #C, (long long)(C))
/* A value the headers compute but do not name (the Java name is given). */
#define NAMED(NAME, C) printf("const %s %lld\n", NAME, (long long)(C))

static void guid(const char *name, GUID g) {
    printf("guid %s %08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\n", name,
           (unsigned long)g.Data1, g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2],
           g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
}

/* u.Flags after one of the header's own inline setters (TpSetCallback*) on a zeroed environment: the bit it sets. */
#define CALLBACK_FLAG(NAME, SETTER) do { \
        TP_CALLBACK_ENVIRON env; \
        memset(&env, 0, sizeof env); \
        SETTER(&env); \
        NAMED(NAME, env.u.Flags); \
    } while (0)

int main(void) {
    SIZE(OVERLAPPED); OFF(OVERLAPPED, Internal); OFF(OVERLAPPED, InternalHigh);
    OFF(OVERLAPPED, Offset); OFF(OVERLAPPED, OffsetHigh); OFF(OVERLAPPED, Pointer); OFF(OVERLAPPED, hEvent);
    SIZE(OVERLAPPED_ENTRY); OFF(OVERLAPPED_ENTRY, lpCompletionKey); OFF(OVERLAPPED_ENTRY, lpOverlapped);
    OFF(OVERLAPPED_ENTRY, Internal); OFF(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred);
    SIZE(TP_CALLBACK_ENVIRON); OFF(TP_CALLBACK_ENVIRON, Version); OFF(TP_CALLBACK_ENVIRON, Pool);
    OFF(TP_CALLBACK_ENVIRON, CleanupGroup); OFF(TP_CALLBACK_ENVIRON, CleanupGroupCancelCallback);
    OFF(TP_CALLBACK_ENVIRON, RaceDll); OFF(TP_CALLBACK_ENVIRON, ActivationContext);
    OFF(TP_CALLBACK_ENVIRON, FinalizationCallback); OFF(TP_CALLBACK_ENVIRON, u);
    OFF(TP_CALLBACK_ENVIRON, CallbackPriority); OFF(TP_CALLBACK_ENVIRON, Size);
    SIZE(FILETIME); OFF(FILETIME, dwLowDateTime); OFF(FILETIME, dwHighDateTime);
    SIZE(WSABUF); OFF(WSABUF, len); OFF(WSABUF, buf);
    SIZE(WSADATA); OFF(WSADATA, wVersion); OFF(WSADATA, wHighVersion); OFF(WSADATA, iMaxSockets);
    OFF(WSADATA, iMaxUdpDg); OFF(WSADATA, lpVendorInfo); OFF(WSADATA, szDescription); OFF(WSADATA, szSystemStatus);
    SIZE(struct sockaddr_in); OFF(struct sockaddr_in, sin_family); OFF(struct sockaddr_in, sin_port);
    OFF(struct sockaddr_in, sin_addr); OFF(struct sockaddr_in, sin_zero);
    SIZE(struct sockaddr_in6); OFF(struct sockaddr_in6, sin6_family); OFF(struct sockaddr_in6, sin6_port);
    OFF(struct sockaddr_in6, sin6_flowinfo); OFF(struct sockaddr_in6, sin6_addr); OFF(struct sockaddr_in6, sin6_scope_id);
    SIZE(struct sockaddr_storage);
    SIZE(TRANSMIT_FILE_BUFFERS); OFF(TRANSMIT_FILE_BUFFERS, Head); OFF(TRANSMIT_FILE_BUFFERS, HeadLength);
    OFF(TRANSMIT_FILE_BUFFERS, Tail); OFF(TRANSMIT_FILE_BUFFERS, TailLength);
    SIZE(GUID); OFF(GUID, Data1); OFF(GUID, Data2); OFF(GUID, Data3); OFF(GUID, Data4);
    SIZE(struct linger); OFF(struct linger, l_onoff); OFF(struct linger, l_linger);
    SIZE(SYSTEM_INFO); OFF(SYSTEM_INFO, dwPageSize); OFF(SYSTEM_INFO, dwNumberOfProcessors);
    SIZE(WSAPROTOCOL_INFOW); OFF(WSAPROTOCOL_INFOW, dwServiceFlags1); OFF(WSAPROTOCOL_INFOW, ProviderId);
    OFF(WSAPROTOCOL_INFOW, dwCatalogEntryId);
    SIZE(OSVERSIONINFOEXW); OFF(OSVERSIONINFOEXW, dwOSVersionInfoSize); OFF(OSVERSIONINFOEXW, dwMajorVersion);
    OFF(OSVERSIONINFOEXW, dwBuildNumber); OFF(OSVERSIONINFOEXW, wProductType);

    VALUE(SIO_GET_EXTENSION_FUNCTION_POINTER);
    VALUE(SIO_BASE_HANDLE); VALUE(SO_UPDATE_ACCEPT_CONTEXT); VALUE(SO_UPDATE_CONNECT_CONTEXT);
    VALUE(SOL_SOCKET); VALUE(SO_REUSEADDR); VALUE(SO_EXCLUSIVEADDRUSE); VALUE(SO_KEEPALIVE); VALUE(SO_LINGER);
    VALUE(SO_RCVBUF); VALUE(SO_SNDBUF); VALUE(SO_ERROR); VALUE(IPPROTO_TCP); VALUE(TCP_NODELAY);
    VALUE(IPPROTO_IPV6); VALUE(IPV6_V6ONLY); VALUE(AF_INET); VALUE(AF_INET6); VALUE(SOCK_STREAM);
    VALUE(SOMAXCONN); VALUE(SD_RECEIVE); VALUE(SD_SEND); VALUE(SD_BOTH);
    VALUE(WSA_FLAG_OVERLAPPED); VALUE(WSA_FLAG_NO_HANDLE_INHERIT); VALUE(WSA_FLAG_REGISTERED_IO);
    VALUE(TF_DISCONNECT); VALUE(TF_REUSE_SOCKET); VALUE(TF_USE_KERNEL_APC);
    VALUE(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS); VALUE(FILE_SKIP_SET_EVENT_ON_HANDLE);
    VALUE(INFINITE); VALUE(WAIT_TIMEOUT); VALUE(MSG_PARTIAL);
    VALUE(TP_CALLBACK_PRIORITY_HIGH); VALUE(TP_CALLBACK_PRIORITY_NORMAL); VALUE(TP_CALLBACK_PRIORITY_LOW);
    VALUE(ERROR_IO_PENDING); VALUE(ERROR_OPERATION_ABORTED); VALUE(ERROR_NETNAME_DELETED);
    VALUE(ERROR_CONNECTION_ABORTED); VALUE(ERROR_CONNECTION_REFUSED); VALUE(ERROR_INVALID_HANDLE);
    VALUE(ERROR_ABANDONED_WAIT_0); VALUE(ERROR_MORE_DATA); VALUE(ERROR_HANDLE_EOF); VALUE(ERROR_NOT_FOUND);
    VALUE(WSA_IO_PENDING); VALUE(WSAEWOULDBLOCK); VALUE(WSAECONNRESET); VALUE(WSAECONNABORTED);
    VALUE(WSAENOTCONN); VALUE(WSAEADDRINUSE); VALUE(WSAEACCES); VALUE(WSAENOBUFS); VALUE(WSAESHUTDOWN);
    VALUE(WSAEINVAL); VALUE(WSAENOTSOCK); VALUE(WSAECONNREFUSED); VALUE(WSAETIMEDOUT); VALUE(WSANOTINITIALISED);
    VALUE(ERROR_SUCCESS); VALUE(ERROR_GEN_FAILURE); VALUE(ERROR_INVALID_PARAMETER); VALUE(WSAENOPROTOOPT);
    VALUE(INVALID_SOCKET); VALUE(SOCKET_ERROR); NAMED("WINSOCK_VERSION_2_2", MAKEWORD(2, 2));
    VALUE(INVALID_HANDLE_VALUE); VALUE(GENERIC_READ); VALUE(FILE_SHARE_READ); VALUE(FILE_SHARE_WRITE);
    VALUE(FILE_SHARE_DELETE); VALUE(OPEN_EXISTING); VALUE(FILE_FLAG_OVERLAPPED); VALUE(FILE_FLAG_SEQUENTIAL_SCAN);
    VALUE(WAIT_OBJECT_0); VALUE(STATUS_SUCCESS); VALUE(STATUS_PENDING);
    VALUE(SO_PROTOCOL_INFOW); VALUE(XP1_IFS_HANDLES);
    VALUE(VER_NT_WORKSTATION); VALUE(VER_NT_DOMAIN_CONTROLLER); VALUE(VER_NT_SERVER);
    CALLBACK_FLAG("TP_CALLBACK_ENVIRON.FLAG_LongFunction", TpSetCallbackLongFunction);
    CALLBACK_FLAG("TP_CALLBACK_ENVIRON.FLAG_Persistent", TpSetCallbackPersistent);

    { GUID g = WSAID_ACCEPTEX; guid("WSAID_ACCEPTEX", g); }
    { GUID g = WSAID_GETACCEPTEXSOCKADDRS; guid("WSAID_GETACCEPTEXSOCKADDRS", g); }
    { GUID g = WSAID_CONNECTEX; guid("WSAID_CONNECTEX", g); }
    { GUID g = WSAID_DISCONNECTEX; guid("WSAID_DISCONNECTEX", g); }
    { GUID g = WSAID_TRANSMITFILE; guid("WSAID_TRANSMITFILE", g); }
    return 0;
}

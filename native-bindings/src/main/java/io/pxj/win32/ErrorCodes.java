package io.pxj.win32;

import java.util.HashMap;
import java.util.Map;

/**
 * Symbolic names and messages of the Win32/WSA error codes PxJ meets. Messages come from FormatMessageW when the
 * native layer is available (so they match the system's language), else from this built-in table.
 *
 * <p>Stateless after class init; thread-safe.
 */
public final class ErrorCodes {
    private static final Map<Integer, String[]> TABLE = new HashMap<>();

    static {
        add(0, "ERROR_SUCCESS", "The operation completed successfully.");
        add(2, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified.");
        add(3, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified.");
        add(5, "ERROR_ACCESS_DENIED", "Access is denied.");
        add(6, "ERROR_INVALID_HANDLE", "The handle is invalid.");
        add(8, "ERROR_NOT_ENOUGH_MEMORY", "Not enough memory resources are available to process this command.");
        add(32, "ERROR_SHARING_VIOLATION",
                "The process cannot access the file because it is being used by another process.");
        add(38, "ERROR_HANDLE_EOF", "Reached the end of the file.");
        add(64, "ERROR_NETNAME_DELETED", "The specified network name is no longer available.");
        add(87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect.");
        add(234, "ERROR_MORE_DATA", "More data is available.");
        add(258, "WAIT_TIMEOUT", "The wait operation timed out.");
        add(735, "ERROR_ABANDONED_WAIT_0",
                "The I/O completion port was closed while a thread was waiting on it.");
        add(995, "ERROR_OPERATION_ABORTED",
                "The I/O operation has been aborted because of either a thread exit or an application request.");
        add(996, "ERROR_IO_INCOMPLETE", "Overlapped I/O event is not in a signaled state.");
        add(997, "ERROR_IO_PENDING", "Overlapped I/O operation is in progress.");
        add(1168, "ERROR_NOT_FOUND", "Element not found.");
        add(1225, "ERROR_CONNECTION_REFUSED", "The remote computer refused the network connection.");
        add(1236, "ERROR_CONNECTION_ABORTED", "The network connection was aborted by the local system.");
        add(1450, "ERROR_NO_SYSTEM_RESOURCES",
                "Insufficient system resources exist to complete the requested service.");
        add(10004, "WSAEINTR", "A blocking operation was interrupted by a call to WSACancelBlockingCall.");
        add(10009, "WSAEBADF", "The file handle supplied is not valid.");
        add(10013, "WSAEACCES",
                "An attempt was made to access a socket in a way forbidden by its access permissions.");
        add(10014, "WSAEFAULT",
                "The system detected an invalid pointer address in attempting to use a pointer argument in a call.");
        add(10022, "WSAEINVAL", "An invalid argument was supplied.");
        add(10024, "WSAEMFILE", "Too many open sockets.");
        add(10035, "WSAEWOULDBLOCK", "A non-blocking socket operation could not be completed immediately.");
        add(10036, "WSAEINPROGRESS", "A blocking operation is currently executing.");
        add(10038, "WSAENOTSOCK", "An operation was attempted on something that is not a socket.");
        add(10040, "WSAEMSGSIZE",
                "A message sent on a datagram socket was larger than the internal message buffer or some other"
                        + " network limit, or the buffer used to receive a datagram into was smaller than the datagram"
                        + " itself.");
        add(10042, "WSAENOPROTOOPT",
                "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt"
                        + " call.");
        add(10047, "WSAEAFNOSUPPORT", "An address incompatible with the requested protocol was used.");
        add(10048, "WSAEADDRINUSE",
                "Only one usage of each socket address (protocol/network address/port) is normally permitted.");
        add(10049, "WSAEADDRNOTAVAIL", "The requested address is not valid in its context.");
        add(10050, "WSAENETDOWN", "A socket operation encountered a dead network.");
        add(10051, "WSAENETUNREACH", "A socket operation was attempted to an unreachable network.");
        add(10053, "WSAECONNABORTED",
                "An established connection was aborted by the software in your host machine.");
        add(10054, "WSAECONNRESET", "An existing connection was forcibly closed by the remote host.");
        add(10055, "WSAENOBUFS",
                "An operation on a socket could not be performed because the system lacked sufficient buffer space"
                        + " or because a queue was full.");
        add(10056, "WSAEISCONN", "A connect request was made on an already connected socket.");
        add(10057, "WSAENOTCONN",
                "A request to send or receive data was disallowed because the socket is not connected and (when"
                        + " sending on a datagram socket using a sendto call) no address was supplied.");
        add(10058, "WSAESHUTDOWN",
                "A request to send or receive data was disallowed because the socket had already been shut down in"
                        + " that direction with a previous shutdown call.");
        add(10060, "WSAETIMEDOUT",
                "A connection attempt failed because the connected party did not properly respond after a period"
                        + " of time, or established connection failed because connected host has failed to respond.");
        add(10061, "WSAECONNREFUSED",
                "No connection could be made because the target machine actively refused it.");
        add(10065, "WSAEHOSTUNREACH", "A socket operation was attempted to an unreachable host.");
        add(10093, "WSANOTINITIALISED",
                "Either the application has not called WSAStartup, or WSAStartup failed.");
    }

    private ErrorCodes() {
    }

    private static void add(int code, String name, String message) {
        TABLE.put(code, new String[] {name, message});
    }

    /** Symbolic name (e.g. "WSAECONNRESET"), or null if not in the table. */
    public static String name(int code) {
        String[] e = TABLE.get(code);
        return e == null ? null : e[0];
    }

    /** The built-in English message, or null if not in the table. */
    public static String builtInMessage(int code) {
        String[] e = TABLE.get(code);
        return e == null ? null : e[1];
    }

    /** The system message (FormatMessageW) when available, else the built-in one, else "Unknown error". */
    public static String message(int code) {
        String m = Windows.isAvailable() ? Windows.systemMessage(code) : null;
        if (m == null) {
            m = builtInMessage(code);
        }
        return m == null ? "Unknown error" : m;
    }

    /** {@code "<function> failed: <code> <NAME> (<message>)"}. */
    public static String describeFailure(String function, int code) {
        String name = name(code);
        return function + " failed: " + Integer.toUnsignedString(code) + (name == null ? "" : " " + name)
                + " (" + message(code) + ")";
    }
}

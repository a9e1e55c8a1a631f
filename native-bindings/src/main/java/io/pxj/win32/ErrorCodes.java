package io.pxj.win32;

import com.sun.jna.platform.win32.WinError;

import io.pxj.win32.raw.Constants;

import java.util.HashMap;
import java.util.Map;

/**
 * The Win32/WSA error codes PxJ meets: the ones code outside this module compares results with, and a table of
 * their symbolic names and messages. Messages come from FormatMessageW when the native layer is available (so they
 * match the system's language), else from the built-in English table, which serves mocks, the nio backend and
 * tests off Windows. The numbers are JNA Platform's {@link WinError} constants (inlined at compile time).
 *
 * <p>Stateless after class init; thread-safe.
 */
public final class ErrorCodes {
    public static final int ERROR_INVALID_HANDLE = Constants.ERROR_INVALID_HANDLE;
    /** What a backend reports for an operation the facade refused before Windows saw it. */
    public static final int ERROR_INVALID_PARAMETER = Constants.ERROR_INVALID_PARAMETER;
    /** A cancelled operation (CancelIoEx, closesocket) completes with this. */
    public static final int ERROR_OPERATION_ABORTED = Constants.ERROR_OPERATION_ABORTED;

    private static final Map<Integer, String[]> TABLE = new HashMap<>();

    static {
        add(WinError.ERROR_SUCCESS, "ERROR_SUCCESS", "The operation completed successfully.");
        add(WinError.ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified.");
        add(WinError.ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified.");
        add(WinError.ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED", "Access is denied.");
        add(WinError.ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE", "The handle is invalid.");
        add(WinError.ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY",
                "Not enough memory resources are available to process this command.");
        add(WinError.ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION",
                "The process cannot access the file because it is being used by another process.");
        add(WinError.ERROR_HANDLE_EOF, "ERROR_HANDLE_EOF", "Reached the end of the file.");
        add(WinError.ERROR_NETNAME_DELETED, "ERROR_NETNAME_DELETED",
                "The specified network name is no longer available.");
        add(WinError.ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER", "The parameter is incorrect.");
        add(WinError.ERROR_MORE_DATA, "ERROR_MORE_DATA", "More data is available.");
        add(WinError.WAIT_TIMEOUT, "WAIT_TIMEOUT", "The wait operation timed out.");
        add(WinError.ERROR_ABANDONED_WAIT_0, "ERROR_ABANDONED_WAIT_0",
                "The I/O completion port was closed while a thread was waiting on it.");
        add(WinError.ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED",
                "The I/O operation has been aborted because of either a thread exit or an application request.");
        add(WinError.ERROR_IO_INCOMPLETE, "ERROR_IO_INCOMPLETE", "Overlapped I/O event is not in a signaled state.");
        add(WinError.ERROR_IO_PENDING, "ERROR_IO_PENDING", "Overlapped I/O operation is in progress.");
        add(WinError.ERROR_NOT_FOUND, "ERROR_NOT_FOUND", "Element not found.");
        add(WinError.ERROR_CONNECTION_REFUSED, "ERROR_CONNECTION_REFUSED",
                "The remote computer refused the network connection.");
        add(WinError.ERROR_CONNECTION_ABORTED, "ERROR_CONNECTION_ABORTED",
                "The network connection was aborted by the local system.");
        add(WinError.ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES",
                "Insufficient system resources exist to complete the requested service.");
        add(WinError.WSAEINTR, "WSAEINTR", "A blocking operation was interrupted by a call to WSACancelBlockingCall.");
        add(WinError.WSAEBADF, "WSAEBADF", "The file handle supplied is not valid.");
        add(WinError.WSAEACCES, "WSAEACCES",
                "An attempt was made to access a socket in a way forbidden by its access permissions.");
        add(WinError.WSAEFAULT, "WSAEFAULT",
                "The system detected an invalid pointer address in attempting to use a pointer argument in a call.");
        add(WinError.WSAEINVAL, "WSAEINVAL", "An invalid argument was supplied.");
        add(WinError.WSAEMFILE, "WSAEMFILE", "Too many open sockets.");
        add(WinError.WSAEWOULDBLOCK, "WSAEWOULDBLOCK",
                "A non-blocking socket operation could not be completed immediately.");
        add(WinError.WSAEINPROGRESS, "WSAEINPROGRESS", "A blocking operation is currently executing.");
        add(WinError.WSAENOTSOCK, "WSAENOTSOCK", "An operation was attempted on something that is not a socket.");
        add(WinError.WSAEMSGSIZE, "WSAEMSGSIZE",
                "A message sent on a datagram socket was larger than the internal message buffer or some other"
                        + " network limit, or the buffer used to receive a datagram into was smaller than the datagram"
                        + " itself.");
        add(WinError.WSAENOPROTOOPT, "WSAENOPROTOOPT",
                "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt"
                        + " call.");
        add(WinError.WSAEAFNOSUPPORT, "WSAEAFNOSUPPORT",
                "An address incompatible with the requested protocol was used.");
        add(WinError.WSAEADDRINUSE, "WSAEADDRINUSE",
                "Only one usage of each socket address (protocol/network address/port) is normally permitted.");
        add(WinError.WSAEADDRNOTAVAIL, "WSAEADDRNOTAVAIL", "The requested address is not valid in its context.");
        add(WinError.WSAENETDOWN, "WSAENETDOWN", "A socket operation encountered a dead network.");
        add(WinError.WSAENETUNREACH, "WSAENETUNREACH", "A socket operation was attempted to an unreachable network.");
        add(WinError.WSAECONNABORTED, "WSAECONNABORTED",
                "An established connection was aborted by the software in your host machine.");
        add(WinError.WSAECONNRESET, "WSAECONNRESET", "An existing connection was forcibly closed by the remote host.");
        add(WinError.WSAENOBUFS, "WSAENOBUFS",
                "An operation on a socket could not be performed because the system lacked sufficient buffer space"
                        + " or because a queue was full.");
        add(WinError.WSAEISCONN, "WSAEISCONN", "A connect request was made on an already connected socket.");
        add(WinError.WSAENOTCONN, "WSAENOTCONN",
                "A request to send or receive data was disallowed because the socket is not connected and (when"
                        + " sending on a datagram socket using a sendto call) no address was supplied.");
        add(WinError.WSAESHUTDOWN, "WSAESHUTDOWN",
                "A request to send or receive data was disallowed because the socket had already been shut down in"
                        + " that direction with a previous shutdown call.");
        add(WinError.WSAETIMEDOUT, "WSAETIMEDOUT",
                "A connection attempt failed because the connected party did not properly respond after a period"
                        + " of time, or established connection failed because connected host has failed to respond.");
        add(WinError.WSAECONNREFUSED, "WSAECONNREFUSED",
                "No connection could be made because the target machine actively refused it.");
        add(WinError.WSAEHOSTUNREACH, "WSAEHOSTUNREACH", "A socket operation was attempted to an unreachable host.");
        add(WinError.WSANOTINITIALISED, "WSANOTINITIALISED",
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

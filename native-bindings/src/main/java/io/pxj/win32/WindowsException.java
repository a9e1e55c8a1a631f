package io.pxj.win32;

import java.io.IOException;

/**
 * A failed Win32 / Winsock / thread-pool call: names the function, the numeric error code, its symbolic name
 * when known, and the system message, e.g.
 * {@code WSARecv failed: 10054 WSAECONNRESET (An existing connection was forcibly closed by the remote host.)}.
 *
 * <p>Checked ({@link IOException}) like the JDK's own channel errors: every facade call that can fail for
 * environmental reasons declares it. The normal outcomes of overlapped operations (pending, synchronous
 * completion, failure of that I/O) are <em>not</em> exceptions: see {@link IoOutcome}.
 *
 * <p>Immutable and thread-safe.
 */
public final class WindowsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int errorCode;

    public WindowsException(String function, int errorCode) {
        super(ErrorCodes.describeFailure(function, errorCode));
        this.function = function;
        this.errorCode = errorCode;
    }

    /** The Win32 function that failed, e.g. {@code "WSARecv"}. */
    public String function() {
        return function;
    }

    /** The Win32 / WSA error code ({@code GetLastError()} / {@code WSAGetLastError()} value). */
    public int errorCode() {
        return errorCode;
    }

    /** The symbolic name of {@link #errorCode()}, e.g. {@code "WSAECONNRESET"}, or null if not in the table. */
    public String errorName() {
        return ErrorCodes.name(errorCode);
    }
}

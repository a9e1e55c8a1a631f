package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;

class WindowsExceptionTest {
    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Windows uses FormatMessageW, whose text may be localised")
    void namesFunctionCodeSymbolAndMessage() {
        WindowsException e = new WindowsException("WSARecv", 10054);
        assertEquals("WSARecv failed: 10054 WSAECONNRESET (An existing connection was forcibly closed by the remote"
                + " host.)", e.getMessage());
        assertEquals("WSARecv", e.function());
        assertEquals(10054, e.errorCode());
        assertEquals("WSAECONNRESET", e.errorName());
        assertInstanceOf(IOException.class, e);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "built-in message table")
    void win32CodesAndUnknownCodes() {
        assertEquals("CancelIoEx failed: 1168 ERROR_NOT_FOUND (Element not found.)",
                new WindowsException("CancelIoEx", 1168).getMessage());
        assertEquals("GetQueuedCompletionStatus failed: 735 ERROR_ABANDONED_WAIT_0 (The I/O completion port was"
                + " closed while a thread was waiting on it.)", new WindowsException("GetQueuedCompletionStatus", 735)
                .getMessage());
        WindowsException unknown = new WindowsException("Foo", 424242);
        assertEquals("Foo failed: 424242 (Unknown error)", unknown.getMessage());
        assertNull(unknown.errorName());
        // DWORD codes above 2^31 print unsigned.
        assertTrue(new WindowsException("Bar", 0xC0000005).getMessage().startsWith("Bar failed: 3221225477 "));
    }

    @Test
    void symbolicNamesOfTheCodesTheBackendBranchesOn() {
        assertEquals("ERROR_OPERATION_ABORTED", ErrorCodes.name(995));
        assertEquals("ERROR_IO_PENDING", ErrorCodes.name(997));
        assertEquals("ERROR_NETNAME_DELETED", ErrorCodes.name(64));
        assertEquals("ERROR_CONNECTION_ABORTED", ErrorCodes.name(1236));
        assertEquals("WSAECONNREFUSED", ErrorCodes.name(10061));
        assertEquals("WSAEADDRINUSE", ErrorCodes.name(10048));
        assertEquals("WAIT_TIMEOUT", ErrorCodes.name(258));
        assertNull(ErrorCodes.name(-7));
    }
}

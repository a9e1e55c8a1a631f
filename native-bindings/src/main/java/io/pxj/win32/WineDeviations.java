package io.pxj.win32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where Wine does not behave as Windows for a call the backend makes, and what the bridge does about it. Each is
 * reported once per run (a WARN line in the log and the test output) the first time the bridge applies its shim.
 * The same list, with the tests that show each deviation, is in the README.
 *
 * <p>Thread-safe.
 */
enum WineDeviations {
    /** Windows fails a blocked GetQueuedCompletionStatus(Ex) with ERROR_ABANDONED_WAIT_0 when the port closes. */
    /** Windows: CloseThreadpoolCleanupGroupMembers after some members were closed on their own is fine. */
    IOQUEUE_ASSERT("CloseThreadpoolCleanupGroupMembers re-prepares a TP_IO already closed with CloseThreadpoolIo and"
            + " asserts 'ioqueue.objcount' (threadpool.c) when no other TP_IO is open in the process; the helper keeps"
            + " one TP_IO open for its lifetime"),
    PORT_CLOSE("closing a completion port does not wake a thread blocked in GetQueuedCompletionStatus(Ex) on it;"
            + " the helper posts one sentinel packet per waiting dequeue before CloseHandle and reports it as"
            + " ERROR_ABANDONED_WAIT_0 (735)"),
    /** Windows: DisconnectEx completes through the port, or synchronously (no packet with skip-on-success). */
    DISCONNECTEX_PENDING("DisconnectEx is a shutdown(SD_SEND) that completes at once but returns ERROR_IO_PENDING, so"
            + " on a skip-on-success socket its completion never arrives; the helper reports the synchronous success"
            + " the OVERLAPPED shows"),
    /** Windows: DisconnectEx(TF_REUSE_SOCKET) leaves a socket AcceptEx/ConnectEx can use again. */
    DISCONNECTEX_REUSE("DisconnectEx(TF_REUSE_SOCKET) does not make the socket reusable (sends after an AcceptEx on it"
            + " fail with WSAESHUTDOWN); the helper shuts the send side down gracefully and answers WSAEOPNOTSUPP"
            + " (10045), so the backend closes the socket instead of reusing it");

    private static final Logger LOG = LoggerFactory.getLogger(WineDeviations.class);
    private static final Set<WineDeviations> REPORTED = EnumSet.noneOf(WineDeviations.class);

    private final String text;

    WineDeviations(String text) {
        this.text = text;
    }

    static void report(WineDeviations d) {
        synchronized (REPORTED) {
            if (!REPORTED.add(d)) {
                return;
            }
        }
        LOG.warn("Wine deviation {} (shimmed by the bridge): {}", d, d.text);
    }

    /** Deviations reported so far in this JVM. */
    static Set<WineDeviations> reported() {
        synchronized (REPORTED) {
            return EnumSet.copyOf(REPORTED.isEmpty() ? EnumSet.noneOf(WineDeviations.class) : REPORTED);
        }
    }
}

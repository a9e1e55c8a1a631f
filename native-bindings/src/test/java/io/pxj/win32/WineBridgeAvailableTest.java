package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs only in the build's wine-test execution (-Dpxj.win32.bridge=wine): there, a bridge that cannot start is a
 * failure naming the reason (Wine or mingw-w64 missing, the helper not building or not starting), not a run of
 * silently skipped Windows suites.
 */
class WineBridgeAvailableTest {
    @Test
    void theWineBridgeStarted() {
        assertTrue(System.getProperty(Windows.BRIDGE_PROPERTY) != null, "run with -D" + Windows.BRIDGE_PROPERTY);
        Throwable cause = Windows.unavailabilityCause();
        assertTrue(Windows.isAvailable() && Windows.isBridged(),
                () -> "the Wine bridge did not start: " + (cause == null ? "?" : cause));
    }
}

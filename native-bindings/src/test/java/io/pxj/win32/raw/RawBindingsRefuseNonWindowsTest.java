package io.pxj.win32.raw;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Touching a raw library class off Windows fails in its guard, before Native.register runs. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "checks the non-Windows guard")
class RawBindingsRefuseNonWindowsTest {
    @ParameterizedTest
    @ValueSource(strings = {"Kernel32", "Ws2_32", "Ntdll"})
    void initialisationFailsInTheGuard(String simpleName) {
        // A private loader so the failed initialisation does not poison the classes for other tests.
        ClassLoader isolated = new ChildFirstLoader();
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class,
                () -> Class.forName("io.pxj.win32.raw." + simpleName, true, isolated));
        assertInstanceOf(UnsupportedOperationException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("Windows-only"), e.getCause().getMessage());
    }
}

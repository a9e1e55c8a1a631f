package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.raw.ChildFirstLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

class WindowsProbeTest {

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "the non-Windows probe")
    void offWindowsTheProbeReportsWhyAndLoadsNothingNative() throws Exception {
        // A fresh loader: proves what the probe itself loads, whatever other tests did in this JVM.
        try (ChildFirstLoader loader = new ChildFirstLoader()) {
            Class<?> windows = Class.forName("io.pxj.win32.Windows", true, loader);
            assertEquals(Boolean.FALSE, windows.getMethod("isAvailable").invoke(null));
            Throwable cause = (Throwable) windows.getMethod("unavailabilityCause").invoke(null);
            assertInstanceOf(UnsupportedOperationException.class, cause);
            assertEquals("not Windows (os.name=" + System.getProperty("os.name") + ")", cause.getMessage());

            Method ensure = windows.getMethod("ensureAvailable");
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> ensure.invoke(null));
            assertInstanceOf(UnsatisfiedLinkError.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("not Windows"), e.getCause().getMessage());
            assertEquals(cause, e.getCause().getCause());
            Method api = windows.getMethod("api");
            assertInstanceOf(UnsatisfiedLinkError.class,
                    assertThrows(InvocationTargetException.class, () -> api.invoke(null)).getCause());

            // Error messages still work (built-in table), without touching native code either.
            Class<?> codes = Class.forName("io.pxj.win32.ErrorCodes", true, loader);
            assertEquals("WSARecv failed: 10054 WSAECONNRESET (An existing connection was forcibly closed by the"
                    + " remote host.)", codes.getMethod("describeFailure", String.class, int.class)
                    .invoke(null, "WSARecv", 10054));

            for (String c : new String[] {"io.pxj.win32.raw.Kernel32", "io.pxj.win32.raw.Ws2_32",
                "io.pxj.win32.raw.Ntdll", "io.pxj.win32.NativeWindowsApi", "io.pxj.win32.PoolCallbacks",
                "com.sun.jna.Native", "com.sun.jna.NativeLibrary"}) {
                assertFalse(loader.isLoaded(c), c + " was loaded by the availability probe");
            }
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "the non-Windows probe")
    void offWindowsInThisLoaderToo() {
        assertFalse(Windows.isAvailable());
        assertTrue(Windows.unavailabilityCause().getMessage().startsWith("not Windows (os.name="));
        assertThrows(UnsatisfiedLinkError.class, Windows::ensureAvailable);
    }

    @Test
    @EnabledOnOs(value = OS.WINDOWS, disabledReason = "needs Windows")
    void onWindowsTheNativeLayerLoads() {
        assertNull(Windows.unavailabilityCause(), () -> String.valueOf(Windows.unavailabilityCause()));
        assertTrue(Windows.isAvailable());
        Windows.ensureAvailable();
        assertTrue(Windows.api().processorCount() > 0);
    }
}

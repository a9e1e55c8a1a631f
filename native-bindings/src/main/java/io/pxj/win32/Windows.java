package io.pxj.win32;

import java.util.Locale;

/**
 * Availability probe for the native layer, in the style of Netty's {@code Epoll}: evaluated once, never throws
 * from class init. On a non-Windows OS it loads nothing (no JNA native library, no raw binding class); on
 * Windows x64 it registers the direct-mapped libraries, calls WSAStartup once and prepares the callbacks,
 * capturing any Throwable as the {@link #unavailabilityCause()}.
 *
 * <p>With {@code -Dpxj.win32.bridge=wine} (any OS but Windows), {@link #api()} is instead the Wine bridge: the same
 * facade whose Win32 calls a helper program executes under {@code wine64} (see {@code WineBridge}), so the Windows
 * backend runs on Linux against real Win32 semantics. Any other value of the property is refused by name.
 *
 * <p>Thread-safe.
 */
public final class Windows {
    /** The system property that selects the Wine bridge ({@value #WINE}). */
    public static final String BRIDGE_PROPERTY = "pxj.win32.bridge";
    public static final String WINE = "wine";

    private static WindowsApi bridged;
    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private Windows() {
    }

    private static Throwable probe() {
        String os = System.getProperty("os.name", "");
        String bridge = System.getProperty(BRIDGE_PROPERTY);
        if (bridge != null && !bridge.isBlank()) {
            if (!bridge.equals(WINE)) {
                return new IllegalArgumentException("-D" + BRIDGE_PROPERTY + "=" + bridge + ": the only bridge is '"
                        + WINE + "'");
            }
            if (os.toLowerCase(Locale.ROOT).startsWith("windows")) {
                return new IllegalArgumentException("-D" + BRIDGE_PROPERTY + "=" + WINE + " is for other systems;"
                        + " on Windows the native layer runs directly");
            }
            try {
                bridged = WineWindowsApi.start();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return new UnsupportedOperationException("not Windows (os.name=" + os + ")");
        }
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return new UnsupportedOperationException("only Windows x64 is supported (os.arch=" + arch + ")");
        }
        if (Boolean.getBoolean("pxj.win32.disabled")) {
            return new UnsupportedOperationException("disabled by -Dpxj.win32.disabled=true");
        }
        try {
            NativeWindowsApi.load();
            return null;
        } catch (Throwable t) { // ExceptionInInitializerError, UnsatisfiedLinkError, WindowsException...
            return t;
        }
    }

    /** True if {@link #api()} runs its calls through the Wine bridge. */
    public static boolean isBridged() {
        return bridged != null;
    }

    /**
     * Memory-rule violations the Wine bridge caught and refused to act on: completions for OVERLAPPED memory already
     * freed, completions nobody waits for, an OVERLAPPED reused while pending (each would corrupt memory on Windows).
     * Always 0 when not bridged; tests over the bridge require it to stay 0.
     */
    public static long bridgeViolations() {
        return bridged instanceof WineWindowsApi w ? w.violations() : 0;
    }

    /** True if the native layer loaded and WSAStartup succeeded. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** Why the native layer is not available, or null if it is. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /** Throws an {@link UnsatisfiedLinkError} carrying the reason if the native layer is not available. */
    public static void ensureAvailable() {
        if (UNAVAILABILITY_CAUSE != null) {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError(
                    "PxJ Windows native layer unavailable: " + UNAVAILABILITY_CAUSE.getMessage());
            e.initCause(UNAVAILABILITY_CAUSE);
            throw e;
        }
    }

    /** The real implementation; {@link #ensureAvailable()} first. */
    public static WindowsApi api() {
        ensureAvailable();
        return bridged != null ? bridged : NativeWindowsApi.INSTANCE;
    }

    /** FormatMessageW text for {@code code}, or null; only called when available. */
    static String systemMessage(int code) {
        if (!isAvailable()) {
            return null;
        }
        try {
            return bridged instanceof WineWindowsApi w ? w.formatMessage(code) : NativeWindowsApi.formatMessage(code);
        } catch (Throwable t) { // e.g. while the probe itself is failing: fall back to the built-in table
            return null;
        }
    }
}

package io.pxj.win32;

import java.util.Locale;

/**
 * Availability probe for the native layer, in the style of Netty's {@code Epoll}: evaluated once, never throws
 * from class init. On a non-Windows OS it loads nothing (no JNA native library, no raw binding class); on
 * Windows x64 it registers the direct-mapped libraries, calls WSAStartup once and prepares the callbacks,
 * capturing any Throwable as the {@link #unavailabilityCause()}.
 *
 * <p>Thread-safe.
 */
public final class Windows {
    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private Windows() {
    }

    private static Throwable probe() {
        String os = System.getProperty("os.name", "");
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
        return NativeWindowsApi.INSTANCE;
    }

    /** FormatMessageW text for {@code code}, or null; only called when available. */
    static String systemMessage(int code) {
        if (!isAvailable()) {
            return null;
        }
        try {
            return NativeWindowsApi.formatMessage(code);
        } catch (Throwable t) { // e.g. while the probe itself is failing: fall back to the built-in table
            return null;
        }
    }
}

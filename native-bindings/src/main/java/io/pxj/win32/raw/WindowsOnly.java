package io.pxj.win32.raw;

import java.util.Locale;

/** Guard run by the static initialiser of every class that registers a Windows DLL. */
final class WindowsOnly {
    private WindowsOnly() {
    }

    static void require(String library) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            // Refuse before Native.register: on other OSes it would load libjnidispatch and then fail anyway.
            throw new UnsupportedOperationException(library + " is Windows-only (os.name=" + os + ")");
        }
    }
}

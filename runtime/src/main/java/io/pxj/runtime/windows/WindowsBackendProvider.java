package io.pxj.runtime.windows;

import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendProvider;
import io.pxj.win32.Windows;

/**
 * ServiceLoader entry of the Windows backend: name {@code "windows"}, priority 100 (preferred over nio's 10).
 * Availability is the facade's probe ({@link Windows#isAvailable()}), which on a non-Windows OS loads nothing
 * native; {@link #unavailabilityCause()} passes its reason through so the selector can report it.
 *
 * <p>Thread-safe and stateless.
 */
public final class WindowsBackendProvider implements BackendProvider {
    public static final String NAME = "windows";
    public static final int PRIORITY = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        try {
            return Windows.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public String unavailabilityCause() {
        Throwable t;
        try {
            t = Windows.unavailabilityCause();
        } catch (Throwable e) {
            t = e;
        }
        if (t == null) { return null; }
        String m = t.getMessage();
        return "Windows native layer unavailable: " + t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public Backend create(BackendConfig config) {
        return new WindowsBackend(Windows.api(), config);
    }
}

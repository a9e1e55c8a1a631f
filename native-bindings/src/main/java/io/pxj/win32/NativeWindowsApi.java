package io.pxj.win32;

/** The JNA-backed {@link WindowsApi}; only loaded after the OS check in {@link Windows} passed. */
final class NativeWindowsApi {
    static final WindowsApi INSTANCE = null; // implementation follows the facade interfaces

    private NativeWindowsApi() {
    }

    static void load() {
        throw new UnsupportedOperationException("native implementation not written yet");
    }

    static String formatMessage(int code) {
        return null;
    }
}

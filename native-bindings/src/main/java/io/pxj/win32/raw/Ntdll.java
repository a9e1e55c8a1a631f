package io.pxj.win32.raw;

import com.sun.jna.Native;

/** Direct-mapped ntdll. Raw; class initialisation registers ntdll and throws on a non-Windows OS. */
public final class Ntdll {
    static {
        WindowsOnly.require("ntdll");
        Native.register(Ntdll.class, "ntdll");
    }

    private Ntdll() {
    }

    /** NTSTATUS (e.g. from OVERLAPPED.Internal) to a Win32 error code. Does not set the last error. */
    public static native int RtlNtStatusToDosError(int Status);

    /**
     * {@code NTSTATUS RtlGetVersion(PRTL_OSVERSIONINFOW)} with an OSVERSIONINFOEXW whose dwOSVersionInfoSize is
     * set: the true version (GetVersionEx is subject to the manifest's compatibility shims).
     */
    public static native int RtlGetVersion(long lpVersionInformation);
}

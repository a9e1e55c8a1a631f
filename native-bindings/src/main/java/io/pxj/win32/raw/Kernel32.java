package io.pxj.win32.raw;

import com.sun.jna.Native;

/**
 * Direct-mapped kernel32 functions (Win32 names and parameter order kept). Primitive parameters only: {@code long}
 * for HANDLE / pointers / ULONG_PTR, {@code int} for DWORD / BOOL / ULONG, so JNA neither boxes nor syncs
 * structures; out-parameters are addresses of native scratch memory. JNA saves GetLastError() right after each
 * call: read it with {@code Native.getLastError()} (never call GetLastError later, the JVM may have changed it).
 * Callback parameters are native function pointers (see {@link TpCallbacks}).
 *
 * <p>Raw and unchecked: only {@code io.pxj.win32} calls these, behind wrappers that translate errors. Class
 * initialisation registers kernel32 and throws on a non-Windows OS.
 */
public final class Kernel32 {
    static {
        WindowsOnly.require("kernel32");
        Native.register(Kernel32.class, "kernel32");
    }

    private Kernel32() {
    }

    // --- I/O completion ports ---

    /** Fails with NULL (0), not INVALID_HANDLE_VALUE. */
    public static native long CreateIoCompletionPort(long FileHandle, long ExistingCompletionPort, long CompletionKey,
                                                     int NumberOfConcurrentThreads);

    public static native int GetQueuedCompletionStatus(long CompletionPort, long lpNumberOfBytesTransferred,
                                                       long lpCompletionKey, long lpOverlapped, int dwMilliseconds);

    public static native int GetQueuedCompletionStatusEx(long CompletionPort, long lpCompletionPortEntries, int ulCount,
                                                         long ulNumEntriesRemoved, int dwMilliseconds, int fAlertable);

    public static native int PostQueuedCompletionStatus(long CompletionPort, int dwNumberOfBytesTransferred,
                                                        long dwCompletionKey, long lpOverlapped);

    public static native int SetFileCompletionNotificationModes(long FileHandle, byte Flags);

    public static native int CancelIo(long hFile);

    public static native int CancelIoEx(long hFile, long lpOverlapped);

    // --- handles, files, events, system ---

    /** {@code lpFileName}: NUL-terminated UTF-16. */
    public static native long CreateFileW(char[] lpFileName, int dwDesiredAccess, int dwShareMode,
                                          long lpSecurityAttributes, int dwCreationDisposition,
                                          int dwFlagsAndAttributes, long hTemplateFile);

    public static native int CloseHandle(long hObject);

    public static native long CreateEventW(long lpEventAttributes, int bManualReset, int bInitialState, long lpName);

    public static native int SetEvent(long hEvent);

    public static native int ResetEvent(long hEvent);

    public static native void GetSystemInfo(long lpSystemInfo);

    // --- thread pool: pool and cleanup group ---

    public static native long CreateThreadpool(long reserved);

    public static native void SetThreadpoolThreadMaximum(long ptpp, int cthrdMost);

    public static native int SetThreadpoolThreadMinimum(long ptpp, int cthrdMic);

    public static native void CloseThreadpool(long ptpp);

    public static native long CreateThreadpoolCleanupGroup();

    public static native void CloseThreadpoolCleanupGroupMembers(long ptpcg, int fCancelPendingCallbacks,
                                                                 long pvCleanupContext);

    public static native void CloseThreadpoolCleanupGroup(long ptpcg);

    // --- simple callbacks and work ---

    /** {@code pfns}: PTP_SIMPLE_CALLBACK; {@code pcbe}: PTP_CALLBACK_ENVIRON. */
    public static native int TrySubmitThreadpoolCallback(long pfns, long pv, long pcbe);

    public static native long CreateThreadpoolWork(long pfnwk, long pv, long pcbe);

    public static native void SubmitThreadpoolWork(long pwk);

    public static native void WaitForThreadpoolWorkCallbacks(long pwk, int fCancelPendingCallbacks);

    public static native void CloseThreadpoolWork(long pwk);

    // --- I/O ---

    public static native long CreateThreadpoolIo(long fl, long pfnio, long pv, long pcbe);

    public static native void StartThreadpoolIo(long pio);

    public static native void CancelThreadpoolIo(long pio);

    public static native void WaitForThreadpoolIoCallbacks(long pio, int fCancelPendingCallbacks);

    public static native void CloseThreadpoolIo(long pio);

    // --- timers ---

    public static native long CreateThreadpoolTimer(long pfnti, long pv, long pcbe);

    /** {@code pftDueTime}: address of a FILETIME (negative = relative, 100 ns units) or 0 to stop. */
    public static native void SetThreadpoolTimer(long pti, long pftDueTime, int msPeriod, int msWindowLength);

    public static native int IsThreadpoolTimerSet(long pti);

    public static native void WaitForThreadpoolTimerCallbacks(long pti, int fCancelPendingCallbacks);

    public static native void CloseThreadpoolTimer(long pti);

    // --- waits ---

    public static native long CreateThreadpoolWait(long pfnwa, long pv, long pcbe);

    /** {@code pftTimeout}: address of a FILETIME, or 0 = wait forever. {@code h} 0 disarms. */
    public static native void SetThreadpoolWait(long pwa, long h, long pftTimeout);

    public static native void WaitForThreadpoolWaitCallbacks(long pwa, int fCancelPendingCallbacks);

    public static native void CloseThreadpoolWait(long pwa);

    // --- callback instance ---

    public static native int CallbackMayRunLong(long pci);

    public static native void DisassociateCurrentThreadFromCallback(long pci);
}

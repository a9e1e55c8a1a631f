package io.pxj.win32;

import java.nio.file.Path;

/**
 * Entry point of the facade: factories for the native objects plus the few plain kernel32 calls the runtime
 * needs. Obtain the real one with {@link Windows#api()}; the runtime's Windows backend depends only on this
 * interface (and the others of this package), so it can be unit-tested with mocks on any OS.
 *
 * <p>Thread-safe.
 */
public interface WindowsApi {
    /** CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, concurrency); 0 = one thread per processor. */
    CompletionPort createCompletionPort(int concurrency) throws WindowsException;

    /** CreateThreadpool + limits + a cleanup group + its callback environments. */
    ThreadPool createThreadPool(int minThreads, int maxThreads) throws WindowsException;

    Winsock winsock();

    /**
     * CreateFileW(GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, OPEN_EXISTING,
     * FILE_FLAG_OVERLAPPED | FILE_FLAG_SEQUENTIAL_SCAN): a file HANDLE for {@link Winsock#transmitFile}. The
     * absolute, normalised path is given in its \\?\ form (\\?\UNC\server\share\... for UNC paths), so
     * paths longer than MAX_PATH (260) open too.
     */
    long openFileForTransmit(Path path) throws WindowsException;

    /** CloseHandle (files, events). Close each handle exactly once. */
    void closeHandle(long handle) throws WindowsException;

    /** CreateEventW(NULL, manualReset, initialState, NULL), e.g. for {@link PoolWait}. */
    long createEvent(boolean manualReset, boolean initialState) throws WindowsException;

    /** SetEvent. */
    void setEvent(long event) throws WindowsException;

    /** ResetEvent (a manual-reset event back to non-signalled, e.g. before re-arming a {@link PoolWait}). */
    void resetEvent(long event) throws WindowsException;

    /** GetSystemInfo's dwNumberOfProcessors. */
    int processorCount();

    /**
     * True on a server edition of Windows (RtlGetVersion: OSVERSIONINFOEXW.wProductType is not VER_NT_WORKSTATION).
     * Client editions run at most two TransmitFile operations at a time system-wide and queue the rest, so the
     * runtime sends files with WSASend there. The default, for implementations that cannot tell, is false: the
     * send path that works well everywhere.
     */
    default boolean isServerEdition() {
        return false;
    }
}

package io.pxj.win32;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32Util;

import io.pxj.win32.raw.Constants;
import io.pxj.win32.raw.Kernel32;
import io.pxj.win32.raw.Ntdll;
import io.pxj.win32.raw.Structs.OSVERSIONINFOEXW;
import io.pxj.win32.raw.Structs.SYSTEM_INFO;
import io.pxj.win32.raw.Structs.WSADATA;
import io.pxj.win32.raw.Ws2_32;

import java.nio.file.Path;

/**
 * The JNA-backed {@link WindowsApi}. Only touched after {@link Windows}' OS check passed; {@link #load()} is the
 * one-time initialisation (register the DLLs, WSAStartup, prepare the callbacks) whose failure becomes the
 * unavailability cause. Thread-safe.
 */
final class NativeWindowsApi implements WindowsApi {
    static final NativeWindowsApi INSTANCE = new NativeWindowsApi();

    private final NativeWinsock winsock = new NativeWinsock();

    private NativeWindowsApi() {
    }

    /** Registers kernel32, ws2_32 and ntdll, starts Winsock 2.2 and prepares the pool callbacks. */
    static void load() throws WindowsException {
        try (NativeMemory wsaData = NativeMemory.allocate(WSADATA.SIZEOF)) {
            int rc = Ws2_32.WSAStartup(Constants.WINSOCK_VERSION_2_2, wsaData.address());
            if (rc != 0) {
                throw new WindowsException("WSAStartup", rc); // WSAStartup returns its error, not via last error
            }
            // Never WSACleanup: the process keeps Winsock for its lifetime, like the JDK.
        }
        Kernel32.GetSystemInfo(Scratch.get().address()); // forces kernel32 registration
        Ntdll.RtlNtStatusToDosError(0); // forces ntdll registration
        PoolCallbacks.init();
    }

    /** A {@link WindowsException} for {@code function} from the last error JNA saved on this thread. */
    static WindowsException lastError(String function) {
        return new WindowsException(function, Native.getLastError());
    }

    /** NTSTATUS to Win32 error (0 for NT_SUCCESS statuses). */
    static int ntStatusToError(int ntStatus) {
        return ntStatus >= 0 ? 0 : Ntdll.RtlNtStatusToDosError(ntStatus);
    }

    /** The system's text for {@code code} (FormatMessageW), or null if it has none. */
    static String formatMessage(int code) {
        try {
            return Kernel32Util.formatMessage(code);
        } catch (LastErrorException e) { // no message for this code
            return null;
        }
    }

    @Override
    public CompletionPort createCompletionPort(int concurrency) throws WindowsException {
        return new NativeCompletionPort(concurrency);
    }

    @Override
    public ThreadPool createThreadPool(int minThreads, int maxThreads) throws WindowsException {
        return new NativeThreadPool(JnaTpCalls.INSTANCE, minThreads, maxThreads);
    }

    @Override
    public Winsock winsock() {
        return winsock;
    }

    @Override
    public long openFileForTransmit(Path path) throws WindowsException {
        String name = win32FileName(path.toAbsolutePath().normalize().toString());
        char[] wide = new char[name.length() + 1]; // NUL-terminated UTF-16
        name.getChars(0, name.length(), wide, 0);
        // Share like the JDK's FileChannel does, so a file another process has open for writing (a log being
        // appended, a file being replaced) can still be sent, as it can on the nio backend.
        long h = Kernel32.CreateFileW(wide, Constants.GENERIC_READ,
                Constants.FILE_SHARE_READ | Constants.FILE_SHARE_WRITE | Constants.FILE_SHARE_DELETE, 0,
                Constants.OPEN_EXISTING,
                Constants.FILE_FLAG_OVERLAPPED | Constants.FILE_FLAG_SEQUENTIAL_SCAN, 0);
        if (h == Constants.INVALID_HANDLE_VALUE) {
            throw lastError("CreateFileW(" + name + ")");
        }
        return h;
    }

    /**
     * The \\?\ form of an absolute Windows path, which lifts the MAX_PATH (260) limit of CreateFileW: {@code C:\a}
     * becomes {@code \\?\C:\a}, {@code \\server\share\a} becomes {@code \\?\UNC\server\share\a}; paths already in
     * a device form ({@code \\?\}, {@code \\.\}) are kept. \\?\ turns off all parsing, so the path must already
     * be absolute and normalised (no "." or "..", backslashes only), as Path.toAbsolutePath().normalize() gives.
     */
    static String win32FileName(String absolute) {
        if (absolute.startsWith("\\\\?\\") || absolute.startsWith("\\\\.\\")) {
            return absolute;
        }
        if (absolute.startsWith("\\\\")) {
            return "\\\\?\\UNC\\" + absolute.substring(2);
        }
        return "\\\\?\\" + absolute;
    }

    private volatile Boolean serverEdition;

    @Override
    public boolean isServerEdition() {
        Boolean v = serverEdition;
        if (v == null) {
            try (NativeMemory m = NativeMemory.allocate(OSVERSIONINFOEXW.SIZEOF)) {
                m.zero(0, OSVERSIONINFOEXW.SIZEOF);
                m.putInt(OSVERSIONINFOEXW.dwOSVersionInfoSize, OSVERSIONINFOEXW.SIZEOF);
                int status = Ntdll.RtlGetVersion(m.address());
                // On failure, assume a client edition: WSASend works everywhere.
                v = status == Constants.STATUS_SUCCESS
                        && (m.getByte(OSVERSIONINFOEXW.wProductType) & 0xFF) != Constants.VER_NT_WORKSTATION;
            }
            serverEdition = v;
        }
        return v;
    }

    @Override
    public void closeHandle(long handle) throws WindowsException {
        if (Kernel32.CloseHandle(handle) == 0) {
            throw lastError("CloseHandle");
        }
    }

    @Override
    public long createEvent(boolean manualReset, boolean initialState) throws WindowsException {
        long h = Kernel32.CreateEventW(0, manualReset ? 1 : 0, initialState ? 1 : 0, 0);
        if (h == 0) {
            throw lastError("CreateEventW");
        }
        return h;
    }

    @Override
    public void setEvent(long event) throws WindowsException {
        if (Kernel32.SetEvent(event) == 0) {
            throw lastError("SetEvent");
        }
    }

    @Override
    public void resetEvent(long event) throws WindowsException {
        if (Kernel32.ResetEvent(event) == 0) {
            throw lastError("ResetEvent");
        }
    }

    @Override
    public int processorCount() {
        NativeMemory s = Scratch.get();
        s.zero(0, SYSTEM_INFO.SIZEOF);
        Kernel32.GetSystemInfo(s.address());
        return s.getInt(SYSTEM_INFO.dwNumberOfProcessors);
    }
}

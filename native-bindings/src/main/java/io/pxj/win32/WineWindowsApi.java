package io.pxj.win32;

import io.pxj.win32.WineBridge.Op;
import io.pxj.win32.WineBridge.Reply;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@link WindowsApi} whose calls Wine executes (see {@link WineBridge}): selected with
 * {@code -Dpxj.win32.bridge=wine} on a JVM that is not on Windows, so the real Windows backend runs against real
 * Win32 semantics there. The thread pool is {@link NativeThreadPool} itself over {@link WineTpCalls}; sockets are
 * {@link WineWinsock}; completion ports {@link WineCompletionPort}. Callbacks arrive on the Java threads paired with
 * Wine's pool threads and land in {@link PoolDispatch}, as JNA's do on Windows.
 *
 * <p>Thread-safe.
 */
final class WineWindowsApi implements WindowsApi, AutoCloseable {
    private final WineBridge bridge;
    private final WineWinsock winsock;
    private final WineTpCalls tp;

    WineWindowsApi(WineBridge bridge) {
        this.bridge = bridge;
        this.winsock = new WineWinsock(bridge);
        this.tp = new WineTpCalls(bridge);
        bridge.setCallbackSink(this::onCallback);
    }

    /**
     * Starts a helper (building it first if needed) and returns an API over it. The one option, {@code --no-anchor},
     * turns a shim off, for the test that shows its Wine deviation.
     */
    static WineWindowsApi start(String... helperOptions) {
        return new WineWindowsApi(WineBridge.start(helperOptions));
    }

    WineBridge bridge() {
        return bridge;
    }

    /** Broken memory rules the bridge refused to act on (see {@link WineWinsock}); 0 in a correct backend. */
    long violations() {
        return winsock.violations();
    }

    /** Operations issued through the bridge whose completion has not been seen. */
    int pendingOperations() {
        return winsock.pendingOperations();
    }

    private void onCallback(int kind, long context, long instance, ByteBuffer f) {
        switch (kind) {
            case WineBridge.CB_SIMPLE -> PoolDispatch.simple(instance, context);
            case WineBridge.CB_WORK -> PoolDispatch.work(instance, context);
            case WineBridge.CB_TIMER -> PoolDispatch.timer(instance, context);
            case WineBridge.CB_WAIT -> PoolDispatch.waitDone(instance, context, f.getInt());
            case WineBridge.CB_IO -> {
                long id = f.getLong();
                int result = f.getInt();
                long bytes = f.getLong();
                int ntStatus = f.getInt();
                int n = f.getInt();
                // A completion the bridge refused (freed memory, unknown operation) still reaches the pool object
                // as a completion of OVERLAPPED 0, so its outstanding count stays right; the violation is counted.
                long ov = winsock.completed(id, result, bytes, ntStatus, f, n);
                PoolDispatch.io(instance, context, ov, result, bytes);
            }
            default -> PoolDispatch.failed("Wine bridge callback",
                    new IllegalStateException("unknown callback kind " + kind));
        }
    }

    @Override
    public CompletionPort createCompletionPort(int concurrency) throws WindowsException {
        return new WineCompletionPort(bridge, winsock, concurrency);
    }

    @Override
    public ThreadPool createThreadPool(int minThreads, int maxThreads) throws WindowsException {
        return new NativeThreadPool(tp, minThreads, maxThreads);
    }

    @Override
    public Winsock winsock() {
        return winsock;
    }

    /** Wine's drive Z: is the Unix root; the \\?\ prefix lifts MAX_PATH as on Windows. */
    static String windowsPath(Path path) {
        return "\\\\?\\Z:" + path.toAbsolutePath().normalize().toString().replace('/', '\\');
    }

    @Override
    public long openFileForTransmit(Path path) throws WindowsException {
        String name = windowsPath(path);
        Reply r = bridge.call(Op.OPEN_FILE).bytes(name.getBytes(StandardCharsets.UTF_16LE)).invoke("CreateFileW");
        if (r.ret() == -1) {
            throw new WindowsException("CreateFileW(" + path.toAbsolutePath() + ")", r.error());
        }
        return r.ret();
    }

    @Override
    public void closeHandle(long handle) throws WindowsException {
        Reply r = bridge.call(Op.CLOSE_HANDLE).i64(handle).invoke("CloseHandle");
        if (r.ret() == 0) {
            throw new WindowsException("CloseHandle", r.error());
        }
    }

    @Override
    public long createEvent(boolean manualReset, boolean initialState) throws WindowsException {
        Reply r = bridge.call(Op.CREATE_EVENT).bool(manualReset).bool(initialState).invoke("CreateEventW");
        if (r.ret() == 0) {
            throw new WindowsException("CreateEventW", r.error());
        }
        return r.ret();
    }

    @Override
    public void setEvent(long event) throws WindowsException {
        Reply r = bridge.call(Op.SET_EVENT).i64(event).invoke("SetEvent");
        if (r.ret() == 0) {
            throw new WindowsException("SetEvent", r.error());
        }
    }

    @Override
    public void resetEvent(long event) throws WindowsException {
        Reply r = bridge.call(Op.RESET_EVENT).i64(event).invoke("ResetEvent");
        if (r.ret() == 0) {
            throw new WindowsException("ResetEvent", r.error());
        }
    }

    @Override
    public int processorCount() {
        return (int) bridge.call(Op.PROCESSORS).invoke("GetSystemInfo").ret();
    }

    /**
     * True: the two-concurrent-TransmitFile limit of Windows client editions is a licensing limit Wine does not
     * have, so over the bridge the backend sends files with TransmitFile, the path to exercise here. (Wine itself
     * reports a workstation.) The WSASend fallback for client editions is covered by the backend's unit tests.
     */
    @Override
    public boolean isServerEdition() {
        return true;
    }

    /** FormatMessageW's text for {@code code}, or null. */
    String formatMessage(int code) {
        Reply r = bridge.call(Op.FORMAT_MESSAGE).i32(code).invoke("FormatMessageW");
        byte[] b = r.bytes();
        return b.length == 0 ? null : new String(b, StandardCharsets.UTF_16LE).strip();
    }

    /** Ends the helper. */
    @Override
    public void close() {
        bridge.close();
    }
}

package io.pxj.win32;

import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.pxj.win32.raw.TpCallbacks;

/**
 * The only native callbacks the facade hands to Windows: one static instance per PTP_* type, held strongly for
 * the life of the process (JNA references callbacks weakly; a collected one crashes the process when Windows
 * calls it), each registered with a {@link CallbackThreadInitializer} (daemon, stay attached, named
 * {@code pxj-pool}) before its function pointer is taken, so a pool thread is attached to the JVM once instead of
 * once per callback. Each forwards to {@link PoolDispatch}, which looks the context value up and catches every
 * Throwable: nothing may unwind into Windows.
 *
 * <p>Only initialised on Windows (from {@link NativeWindowsApi#load()}).
 */
final class PoolCallbacks {
    private static final TpCallbacks.PTP_SIMPLE_CALLBACK SIMPLE_CB = (instance, context)
            -> PoolDispatch.simple(instance, context);
    private static final TpCallbacks.PTP_WORK_CALLBACK WORK_CB = (instance, context, work)
            -> PoolDispatch.work(instance, context);
    private static final TpCallbacks.PTP_TIMER_CALLBACK TIMER_CB = (instance, context, timer)
            -> PoolDispatch.timer(instance, context);
    private static final TpCallbacks.PTP_WAIT_CALLBACK WAIT_CB =
            (instance, context, wait, result) -> PoolDispatch.waitDone(instance, context, result);
    private static final TpCallbacks.PTP_WIN32_IO_CALLBACK IO_CB =
            (instance, context, overlapped, ioResult, bytes, io)
            -> PoolDispatch.io(instance, context, overlapped, ioResult, bytes);
    /** Called for each member whose pending callbacks CloseThreadpoolCleanupGroupMembers(TRUE) cancelled. */
    private static final TpCallbacks.PTP_CLEANUP_GROUP_CANCEL_CALLBACK CANCEL_CB =
            (objectContext, cleanupContext) -> PoolDispatch.cancelled(objectContext);

    static final long SIMPLE_FN = pointer(SIMPLE_CB);
    static final long WORK_FN = pointer(WORK_CB);
    static final long TIMER_FN = pointer(TIMER_CB);
    static final long WAIT_FN = pointer(WAIT_CB);
    static final long IO_FN = pointer(IO_CB);
    static final long CANCEL_FN = pointer(CANCEL_CB);

    private PoolCallbacks() {
    }

    static void init() {
        // Class initialisation did the work.
    }

    private static long pointer(com.sun.jna.Callback cb) {
        // Must precede the first CallbackReference for cb, or JNA attaches threads with its defaults.
        Native.setCallbackThreadInitializer(cb, new CallbackThreadInitializer(true, false, "pxj-pool"));
        return Pointer.nativeValue(CallbackReference.getFunctionPointer(cb));
    }
}

package io.pxj.win32;

import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.pxj.win32.raw.TpCallbacks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * The only native callbacks the facade hands to Windows: one static instance per PTP_* type, held strongly for
 * the life of the process (JNA references callbacks weakly; a collected one crashes the process when Windows
 * calls it), each registered with a {@link CallbackThreadInitializer} (daemon, stay attached, named
 * {@code pxj-pool}) before its function pointer is taken, so a pool thread is attached to the JVM once instead of
 * once per callback. They dispatch on the context value through {@link ContextRegistry registries} and catch
 * every Throwable: nothing may unwind into Windows.
 *
 * <p>Only initialised on Windows (from {@link NativeWindowsApi#load()}).
 */
final class PoolCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(PoolCallbacks.class);

    static final int KIND_SIMPLE = 1;
    static final int KIND_WORK = 2;
    static final int KIND_TIMER = 3;
    static final int KIND_WAIT = 4;
    static final int KIND_IO = 5;

    static final ContextRegistry<SimpleSubmission> SIMPLE = new ContextRegistry<>(KIND_SIMPLE);
    static final ContextRegistry<NativeThreadPool.Work> WORK = new ContextRegistry<>(KIND_WORK);
    static final ContextRegistry<NativeThreadPool.Timer> TIMER = new ContextRegistry<>(KIND_TIMER);
    static final ContextRegistry<NativeThreadPool.Wait> WAIT = new ContextRegistry<>(KIND_WAIT);
    static final ContextRegistry<IoTarget> IO = new ContextRegistry<>(KIND_IO);

    static final LongAdder FAILURES = new LongAdder();
    static final LongAdder ORPHANS = new LongAdder();

    /**
     * The PTP_CALLBACK_INSTANCE of the callback running on this thread (0 outside one), and whether
     * CallbackMayRunLong was already called for it: {@link #mayRunLong()}.
     */
    private static final class Frame {
        long instance;
        int mayRunLong; // 0 not asked, 1 asked: FALSE, 2 asked: TRUE
    }

    private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);

    private static Frame enter(long instance) {
        Frame f = FRAME.get();
        f.instance = instance;
        f.mayRunLong = 0;
        return f;
    }

    private static void exit(Frame f) {
        f.instance = 0;
    }

    /** CallbackMayRunLong for the current callback, once per callback; false outside a callback. */
    static boolean mayRunLong() {
        Frame f = FRAME.get();
        if (f.instance == 0) {
            return false;
        }
        if (f.mayRunLong == 0) {
            f.mayRunLong = io.pxj.win32.raw.Kernel32.CallbackMayRunLong(f.instance) != 0 ? 2 : 1;
        }
        return f.mayRunLong == 2;
    }

    /** What an I/O completion is dispatched to (a {@link NativeThreadPool} PoolIo). */
    interface IoTarget {
        IoCompletionHandler handler();

        /**
         * One started operation is accounted for; called after the handler returned or threw. May perform the
         * object's deferred CloseThreadpoolIo. A throw is contained and counted like a handler failure.
         */
        void completed();
    }

    /** A one-shot TrySubmitThreadpoolCallback: the callback plus the pool it counts against. */
    record SimpleSubmission(SimpleCallback callback, NativeThreadPool pool) {
    }

    private static final TpCallbacks.PTP_SIMPLE_CALLBACK SIMPLE_CB = (instance, context) -> {
        Frame frame = enter(instance);
        try {
            SimpleSubmission s = SIMPLE.release(context); // one-shot: free the slot first
            if (s == null) {
                ORPHANS.increment();
                return;
            }
            s.callback().run();
        } catch (Throwable t) {
            failed("simple callback", t);
        } finally {
            exit(frame);
        }
    };

    private static final TpCallbacks.PTP_WORK_CALLBACK WORK_CB = (instance, context, work) -> {
        Frame frame = enter(instance);
        try {
            NativeThreadPool.Work w = WORK.get(context);
            if (w == null) {
                ORPHANS.increment();
                return;
            }
            w.callback.run();
        } catch (Throwable t) {
            failed("work callback", t);
        } finally {
            exit(frame);
        }
    };

    private static final TpCallbacks.PTP_TIMER_CALLBACK TIMER_CB = (instance, context, timer) -> {
        Frame frame = enter(instance);
        try {
            NativeThreadPool.Timer t = TIMER.get(context);
            if (t == null) {
                ORPHANS.increment();
                return;
            }
            t.callback.onTimer();
        } catch (Throwable t) {
            failed("timer callback", t);
        } finally {
            exit(frame);
        }
    };

    private static final TpCallbacks.PTP_WAIT_CALLBACK WAIT_CB = (instance, context, wait, result) -> {
        Frame frame = enter(instance);
        try {
            NativeThreadPool.Wait w = WAIT.get(context);
            if (w == null) {
                ORPHANS.increment();
                return;
            }
            w.callback.onWait(result);
        } catch (Throwable t) {
            failed("wait callback", t);
        } finally {
            exit(frame);
        }
    };

    private static final TpCallbacks.PTP_WIN32_IO_CALLBACK IO_CB = (instance, context, overlapped, ioResult, bytes, io) -> {
        IoTarget target = null;
        Frame frame = enter(instance);
        try {
            target = IO.get(context);
            if (target == null) {
                ORPHANS.increment();
                return;
            }
            target.handler().onCompletion(overlapped, ioResult, bytes);
        } catch (Throwable t) {
            failed("I/O completion handler", t);
        } finally {
            if (target != null) {
                try {
                    // After the handler, so a close() in between keeps it registered; may run the deferred
                    // CloseThreadpoolIo (allowed inside the object's own callback: it does not wait).
                    target.completed();
                } catch (Throwable t) {
                    failed("I/O completion accounting", t); // e.g. a completion without a StartThreadpoolIo
                }
            }
            exit(frame);
        }
    };

    /** Called for each member whose pending callbacks CloseThreadpoolCleanupGroupMembers(TRUE) cancelled. */
    private static final TpCallbacks.PTP_CLEANUP_GROUP_CANCEL_CALLBACK CANCEL_CB = (objectContext, cleanupContext) -> {
        try {
            if (ContextRegistry.kindOf(objectContext) == KIND_SIMPLE) {
                SIMPLE.release(objectContext); // a TrySubmit that will now never run
            }
        } catch (Throwable t) {
            failed("cleanup-group cancel callback", t);
        }
    };

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

    private static void failed(String what, Throwable t) {
        FAILURES.increment();
        try {
            LOG.error("uncaught {} failure (contained; Windows never sees it)", what, t);
        } catch (Throwable ignored) {
            // Logging itself failed (OOM...): still nothing may propagate.
        }
    }
}

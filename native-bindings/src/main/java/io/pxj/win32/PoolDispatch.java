package io.pxj.win32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where every thread-pool callback lands, whichever native layer fired it (JNA's function pointers in
 * {@link PoolCallbacks}, or the Wine bridge's paired threads): the context value the kernel handed back is looked up
 * in a {@link ContextRegistry} per callback kind, the Java target runs, and every Throwable is caught and counted,
 * so nothing ever unwinds into the thread pool.
 *
 * <p>Thread-safe; pure Java (no native code is loaded by this class).
 */
final class PoolDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(PoolDispatch.class);

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
     * CallbackMayRunLong was already called for it: {@link #mayRunLong}.
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
    static boolean mayRunLong(TpCalls tp) {
        Frame f = FRAME.get();
        if (f.instance == 0) {
            return false;
        }
        if (f.mayRunLong == 0) {
            f.mayRunLong = tp.CallbackMayRunLong(f.instance) ? 2 : 1;
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

    private PoolDispatch() {
    }

    /** PTP_SIMPLE_CALLBACK. */
    static void simple(long instance, long context) {
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
    }

    /** PTP_WORK_CALLBACK. */
    static void work(long instance, long context) {
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
    }

    /** PTP_TIMER_CALLBACK. */
    static void timer(long instance, long context) {
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
    }

    /** PTP_WAIT_CALLBACK. */
    static void waitDone(long instance, long context, int result) {
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
    }

    /** PTP_WIN32_IO_CALLBACK. */
    static void io(long instance, long context, long overlapped, int ioResult, long bytes) {
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
    }

    /**
     * PTP_CLEANUP_GROUP_CANCEL_CALLBACK: a member whose pending callbacks CloseThreadpoolCleanupGroupMembers cancelled.
     */
    static void cancelled(long objectContext) {
        try {
            if (ContextRegistry.kindOf(objectContext) == KIND_SIMPLE) {
                SIMPLE.release(objectContext); // a TrySubmit that will now never run
            }
        } catch (Throwable t) {
            failed("cleanup-group cancel callback", t);
        }
    }

    static void failed(String what, Throwable t) {
        FAILURES.increment();
        try {
            LOG.error("uncaught {} failure (contained; Windows never sees it)", what, t);
        } catch (Throwable ignored) {
            // Logging itself failed (OOM...): still nothing may propagate.
        }
    }
}

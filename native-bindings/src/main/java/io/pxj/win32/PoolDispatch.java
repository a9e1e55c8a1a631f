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
        dispatch(instance, context, SIMPLE, true, 0, (s, unused) -> s.callback().run(), "simple callback");
    }

    /** PTP_WORK_CALLBACK. */
    static void work(long instance, long context) {
        dispatch(instance, context, WORK, false, 0, (w, unused) -> w.callback.run(), "work callback");
    }

    /** PTP_TIMER_CALLBACK. */
    static void timer(long instance, long context) {
        dispatch(instance, context, TIMER, false, 0, (t, unused) -> t.callback.onTimer(), "timer callback");
    }

    /** PTP_WAIT_CALLBACK. */
    static void waitDone(long instance, long context, int result) {
        dispatch(instance, context, WAIT, false, result, (w, r) -> w.callback.onWait(r), "wait callback");
    }

    /** How a callback kind calls its target; {@code result} is the wait result (0 for the other kinds). */
    @FunctionalInterface
    private interface Invocation<T> {
        void invoke(T target, int result);
    }

    /**
     * The body of every callback but I/O: looks the context up ({@code oneShot}: releases it first, the slot is
     * free before the target runs), counts an orphan if it is gone, runs the target, contains any Throwable.
     * The invocations are non-capturing lambdas, so a callback allocates nothing here.
     */
    private static <T> void dispatch(long instance, long context, ContextRegistry<T> registry, boolean oneShot,
                                     int result, Invocation<? super T> invocation, String what) {
        Frame frame = enter(instance);
        try {
            T target = oneShot ? registry.release(context) : registry.get(context);
            if (target == null) {
                ORPHANS.increment();
                return;
            }
            invocation.invoke(target, result);
        } catch (Throwable t) {
            failed(what, t);
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

package io.pxj.win32.raw;

import com.sun.jna.Callback;

/**
 * The thread-pool callback types (winnt.h), all returning VOID, with every pointer-sized parameter as
 * {@code long} (no {@code Pointer} allocated per call). Implementations must be held strongly for as long as
 * any pool object can call them (JNA references callbacks weakly) and registered with a
 * {@code CallbackThreadInitializer} before their first use; pass {@code CallbackReference.getFunctionPointer}
 * of them to {@link Kernel32}. They must never throw.
 */
public final class TpCallbacks {
    private TpCallbacks() {
    }

    /** {@code VOID CALLBACK SimpleCallback(PTP_CALLBACK_INSTANCE Instance, PVOID Context)}. */
    public interface PTP_SIMPLE_CALLBACK extends Callback {
        void callback(long Instance, long Context);
    }

    /** {@code VOID CALLBACK WorkCallback(PTP_CALLBACK_INSTANCE Instance, PVOID Context, PTP_WORK Work)}. */
    public interface PTP_WORK_CALLBACK extends Callback {
        void callback(long Instance, long Context, long Work);
    }

    /** {@code VOID CALLBACK TimerCallback(PTP_CALLBACK_INSTANCE Instance, PVOID Context, PTP_TIMER Timer)}. */
    public interface PTP_TIMER_CALLBACK extends Callback {
        void callback(long Instance, long Context, long Timer);
    }

    /**
     * {@code VOID CALLBACK WaitCallback(PTP_CALLBACK_INSTANCE Instance, PVOID Context, PTP_WAIT Wait,
     * TP_WAIT_RESULT WaitResult)}.
     */
    public interface PTP_WAIT_CALLBACK extends Callback {
        void callback(long Instance, long Context, long Wait, int WaitResult);
    }

    /**
     * {@code VOID CALLBACK IoCompletionCallback(PTP_CALLBACK_INSTANCE Instance, PVOID Context, PVOID Overlapped,
     * ULONG IoResult, ULONG_PTR NumberOfBytesTransferred, PTP_IO Io)}.
     */
    public interface PTP_WIN32_IO_CALLBACK extends Callback {
        void callback(long Instance, long Context, long Overlapped, int IoResult, long NumberOfBytesTransferred,
                      long Io);
    }

    /** {@code VOID CALLBACK CleanupGroupCancelCallback(PVOID ObjectContext, PVOID CleanupContext)}. */
    public interface PTP_CLEANUP_GROUP_CANCEL_CALLBACK extends Callback {
        void callback(long ObjectContext, long CleanupContext);
    }
}

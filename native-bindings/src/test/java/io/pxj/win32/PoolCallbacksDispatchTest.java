package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.sun.jna.Function;
import com.sun.jna.Pointer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native trampolines JNA builds for the PTP_* callbacks work on any OS: calling the function pointer handed to
 * Windows (from native code, through libffi) reaches the registered Java target with the context intact, frees a
 * one-shot slot, drops stale contexts and contains every Throwable.
 */
class PoolCallbacksDispatchTest {
    private static void callSimple(long context) {
        Function.getFunction(new Pointer(PoolCallbacks.SIMPLE_FN)).invokeVoid(new Object[] {0x1234L, context});
    }

    @Test
    void aSimpleCallbackRunsOnceThenItsContextIsStale() {
        AtomicInteger ran = new AtomicInteger();
        long ctx = PoolDispatch.SIMPLE.register(new PoolDispatch.SimpleSubmission(ran::incrementAndGet, null));
        assertNotEquals(0, PoolCallbacks.SIMPLE_FN);
        callSimple(ctx);
        assertEquals(1, ran.get());
        long orphans = PoolDispatch.ORPHANS.sum();
        callSimple(ctx); // a duplicate/late call finds nothing
        assertEquals(1, ran.get());
        assertEquals(orphans + 1, PoolDispatch.ORPHANS.sum());
    }

    @Test
    void throwablesNeverReachTheNativeCaller() {
        long failures = PoolDispatch.FAILURES.sum();
        long ctx = PoolDispatch.SIMPLE.register(new PoolDispatch.SimpleSubmission(() -> {
            throw new StackOverflowError("expected by the test");
        }, null));
        callSimple(ctx); // returns normally
        assertEquals(failures + 1, PoolDispatch.FAILURES.sum());
    }

    @Test
    void otherKindsOfContextAreIgnoredBySimpleDispatch() {
        long orphans = PoolDispatch.ORPHANS.sum();
        callSimple((long) PoolDispatch.KIND_IO << 56 | 1L << 32);
        assertEquals(orphans + 1, PoolDispatch.ORPHANS.sum());
    }

    @Test
    void ioCompletionsArriveWithEveryParameterInPlaceAndAccountingAfterTheHandler() {
        long[] seen = new long[4];
        AtomicInteger completedCalls = new AtomicInteger();
        PoolDispatch.IoTarget target = new PoolDispatch.IoTarget() {
            @Override
            public IoCompletionHandler handler() {
                return (ov, result, bytes) -> {
                    seen[0] = ov;
                    seen[1] = result;
                    seen[2] = bytes;
                    seen[3] = completedCalls.get(); // must still be 0: accounting happens after the handler
                    throw new IllegalStateException("expected by the test");
                };
            }

            @Override
            public void completed() {
                completedCalls.incrementAndGet();
            }
        };
        long ctx = PoolDispatch.IO.register(target);
        long failures = PoolDispatch.FAILURES.sum();
        try {
            // (Instance, Context, Overlapped, ULONG IoResult, ULONG_PTR Bytes, PTP_IO Io)
            Function.getFunction(new Pointer(PoolCallbacks.IO_FN)).invokeVoid(new Object[] {
                0x1111L, ctx, 0x7FFF_0000_2000L, 995, 0x1_0000_0001L, 0x3333L});
        } finally {
            PoolDispatch.IO.release(ctx);
        }
        assertEquals(0x7FFF_0000_2000L, seen[0]);
        assertEquals(995, seen[1]);
        assertEquals(0x1_0000_0001L, seen[2]);
        assertEquals(0, seen[3]);
        assertEquals(1, completedCalls.get());
        assertEquals(failures + 1, PoolDispatch.FAILURES.sum());
    }

    @Test
    void aThrowingCompletionAccountingIsContainedAndCounted() {
        PoolDispatch.IoTarget target = new PoolDispatch.IoTarget() {
            @Override
            public IoCompletionHandler handler() {
                return (ov, result, bytes) -> { };
            }

            @Override
            public void completed() {
                throw new IllegalStateException("completion without a matching StartThreadpoolIo (expected by the test)");
            }
        };
        long ctx = PoolDispatch.IO.register(target);
        long failures = PoolDispatch.FAILURES.sum();
        try {
            Function.getFunction(new Pointer(PoolCallbacks.IO_FN)).invokeVoid(new Object[] {
                0x1111L, ctx, 0x7FFF_0000_2000L, 0, 0L, 0x3333L}); // returns normally: nothing reaches Windows
        } finally {
            PoolDispatch.IO.release(ctx);
        }
        assertEquals(failures + 1, PoolDispatch.FAILURES.sum());
    }
}

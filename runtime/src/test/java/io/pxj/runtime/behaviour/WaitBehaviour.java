package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.PxEvent;
import io.pxj.runtime.WaitCallback;
import io.pxj.runtime.WaitTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** submitWait on a CompletionStage or a PxEvent, with timeouts and cancel. */
public abstract class WaitBehaviour extends BackendTestSupport {

    /** What one WaitCallback call saw. */
    record Signal(Object value, Throwable failure, Thread thread, boolean hadContext, long atNanos) {}

    static final class Recorder<T> implements WaitCallback<T> {
        final CompletableFuture<Signal> first = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void signalled(ParallelContext ctx, T value, Throwable failure) {
            calls.incrementAndGet();
            first.complete(new Signal(value, failure, Thread.currentThread(), ctx != null, System.nanoTime()));
        }
    }

    @Test
    void aCompletedStageRunsTheCallbackWithItsValueInAParallelContext() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Recorder<String> r = new Recorder<>();
        px.submitWait(cf, Duration.ofSeconds(10), r);
        stays(Duration.ofMillis(100), () -> r.calls.get() == 0, "no callback before the stage completes");
        cf.complete("value");
        Signal s = await(r.first, "wait callback");
        assertEquals("value", s.value());
        assertNull(s.failure(), "no failure");
        assertTrue(s.hadContext(), "runs with a ParallelContext");
        assertTrue(isPoolThread(s.thread()), "runs on a pool thread: " + s.thread());
        stays(Duration.ofMillis(100), () -> r.calls.get() == 1, "exactly one call");
    }

    @Test
    void aFailedStagePassesItsException() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Recorder<String> r = new Recorder<>();
        px.submitWait(cf, Duration.ofSeconds(10), r);
        IllegalStateException oops = new IllegalStateException("oops");
        cf.completeExceptionally(oops);
        Signal s = await(r.first, "wait callback");
        assertNull(s.value(), "no value on failure");
        assertSame(oops, unwrap(s.failure()), "the stage's exception");
    }

    @Test
    void anAlreadyCompletedStageRunsPromptly() throws Exception {
        Recorder<Integer> r = new Recorder<>();
        px.submitWait(CompletableFuture.completedFuture(7), Duration.ofSeconds(30), r);
        assertEquals(7, await(r.first, "wait callback").value());
    }

    @Test
    void aStageThatDoesNotCompleteInTimeFailsWithWaitTimeoutExceptionOnce() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        Recorder<String> r = new Recorder<>();
        long start = System.nanoTime();
        px.submitWait(never, Duration.ofMillis(200), r);
        Signal s = await(r.first, "timeout callback");
        assertInstanceOf(WaitTimeoutException.class, s.failure(), "timeout failure");
        assertNull(s.value());
        long ms = (s.atNanos() - start) / 1_000_000;
        assertTrue(ms >= 190, "timed out after " + ms + " ms; the timeout is 200 ms");
        never.complete("too late");
        stays(Duration.ofMillis(150), () -> r.calls.get() == 1, "a late completion does not call again");
    }

    @Test
    void anEventThatIsSetRunsTheCallbackWithTheEvent() throws Exception {
        PxEvent event = px.newEvent();
        try {
            assertFalse(event.isSet(), "a new event is not set");
            Recorder<PxEvent> r = new Recorder<>();
            px.submitWait(event, Duration.ofSeconds(10), r);
            stays(Duration.ofMillis(100), () -> r.calls.get() == 0, "no callback before set()");
            event.set();
            assertTrue(event.isSet(), "isSet after set()");
            Signal s = await(r.first, "event callback");
            assertSame(event, s.value(), "the callback gets the event");
            assertNull(s.failure());
            assertTrue(isPoolThread(s.thread()), "runs on a pool thread");
            event.reset();
            assertFalse(event.isSet(), "manual reset");
        } finally {
            event.close();
        }
    }

    @Test
    void anEventThatIsNotSetInTimeFailsWithWaitTimeoutException() throws Exception {
        try (PxEvent event = px.newEvent()) {
            Recorder<PxEvent> r = new Recorder<>();
            px.submitWait(event, Duration.ofMillis(150), r);
            Signal s = await(r.first, "timeout callback");
            assertInstanceOf(WaitTimeoutException.class, s.failure());
            assertNotNull(s.failure().getMessage(), "timeout message");
        }
    }

    @Test
    void aCancelledWaitNeverCallsBack() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Recorder<String> r = new Recorder<>();
        Cancellable c = px.submitWait(cf, Duration.ofMillis(300), r);
        try (PxEvent event = px.newEvent()) {
            Recorder<PxEvent> re = new Recorder<>();
            Cancellable ce = px.submitWait(event, Duration.ofMillis(300), re);
            c.cancel();
            c.cancel();
            ce.cancel();
            cf.complete("x");
            event.set();
            stays(Duration.ofMillis(500), () -> r.calls.get() == 0 && re.calls.get() == 0,
                    "cancelled waits neither fire nor time out");
        }
    }
}

package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.PxTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** submitTimer: one-shot and periodic ticks, cancel, fireCount, lastResult/lastError. */
public abstract class TimerBehaviour extends BackendTestSupport {

    /** period < 0 stands for null. */
    @ParameterizedTest(name = "period {0} ms (-1 = null)")
    @ValueSource(longs = {-1, 0})
    void aTimerWithoutPeriodFiresOnceAfterItsDelay(long periodMs) throws Exception {
        AtomicReference<Thread> tickThread = new AtomicReference<>();
        AtomicReference<Object> tickTransport = new AtomicReference<>("unset");
        AtomicInteger runs = new AtomicInteger();
        long start = System.nanoTime();
        AtomicReference<Long> firedAt = new AtomicReference<>();
        PxTimer<String> timer = px.submitTimer(Duration.ofMillis(100), periodMs < 0 ? null : Duration.ofMillis(periodMs),
                ctx -> {
                    firedAt.set(System.nanoTime());
                    tickThread.set(Thread.currentThread());
                    tickTransport.set(ctx.transport());
                    runs.incrementAndGet();
                    return "tick";
                });
        eventually(() -> timer.fireCount() == 1, "the one tick (fireCount " + timer.fireCount() + ")");
        long delayMs = (firedAt.get() - start) / 1_000_000;
        assertTrue(delayMs >= 95, "fired after " + delayMs + " ms; the delay is 100 ms");
        assertEquals("tick", timer.lastResult(), "lastResult");
        assertNull(timer.lastError(), "lastError");
        assertTrue(isPoolThread(tickThread.get()), "ticks run on pool threads: " + tickThread.get());
        assertNull(tickTransport.get(), "a timer context has no transport");
        stays(Duration.ofMillis(300), () -> runs.get() == 1 && timer.fireCount() == 1, "fires only once");
    }

    @Test
    void aPeriodicTimerFiresEveryPeriod() throws Exception {
        List<Long> ticks = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        PxTimer<Integer> timer = px.submitTimer(Duration.ofMillis(20), Duration.ofMillis(50), ctx -> {
            ticks.add(System.nanoTime());
            return ticks.size();
        });
        eventually(() -> timer.fireCount() >= 6, "6 ticks (fireCount " + timer.fireCount() + ")");
        timer.cancel();
        long sixthMs = (ticks.get(5) - start) / 1_000_000;
        assertTrue(sixthMs >= 20 + 5 * 50 - 5, "6th tick at " + sixthMs + " ms; cannot be before 20 + 5 x 50 ms");
        assertTrue(timer.lastResult() >= 6, "lastResult is the latest tick's value: " + timer.lastResult());
    }

    @Test
    void cancelStopsFutureTicksAndIsIdempotent() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PxTimer<Void> timer = px.submitTimer(Duration.ZERO, Duration.ofMillis(20), ctx -> {
            runs.incrementAndGet();
            return null;
        });
        eventually(() -> runs.get() >= 3, "3 ticks");
        assertFalse(timer.isCancelled(), "not cancelled yet");
        timer.cancel();
        timer.cancel();
        assertTrue(timer.isCancelled(), "isCancelled after cancel");
        int atCancel = runs.get();
        stays(Duration.ofMillis(250), () -> runs.get() <= atCancel + 1,
                "at most a tick already running finishes after cancel (ran " + runs.get() + ", at cancel " + atCancel
                        + ")");
        long fc = timer.fireCount();
        stays(Duration.ofMillis(100), () -> timer.fireCount() == fc, "fireCount stops after cancel");
    }

    @Test
    void cancelBeforeTheFirstTickMeansNoTick() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PxTimer<Void> timer = px.submitTimer(Duration.ofMillis(200), Duration.ofMillis(50), ctx -> {
            runs.incrementAndGet();
            return null;
        });
        timer.cancel();
        stays(Duration.ofMillis(400), () -> runs.get() == 0, "a timer cancelled before its delay never fires");
        assertEquals(0, timer.fireCount(), "fireCount");
    }

    @Test
    void aFailingTickSetsLastErrorCountsAndTheTimerKeepsGoing() throws Exception {
        long errorsBefore = px.stats().errors();
        AtomicInteger n = new AtomicInteger();
        PxTimer<Integer> timer = px.submitTimer(Duration.ZERO, Duration.ofMillis(20), ctx -> {
            int k = n.incrementAndGet();
            if (k % 2 == 1) throw new IllegalStateException("tick " + k + " fails");
            return k;
        });
        eventually(() -> timer.fireCount() >= 4, "4 ticks, failing or not (fireCount " + timer.fireCount() + ")");
        timer.cancel();
        assertInstanceOf(IllegalStateException.class, timer.lastError(), "lastError is the thrown exception");
        assertTrue(timer.lastError().getMessage().startsWith("tick "), "lastError: " + timer.lastError());
        assertTrue(timer.lastResult() != null && timer.lastResult() % 2 == 0,
                "lastResult is the last successful tick's value: " + timer.lastResult());
        eventually(() -> px.stats().errors() - errorsBefore >= 2, "stats().errors counts failed ticks");
    }

    @Test
    void timersActiveCountsUncancelledTimers() throws Exception {
        long before = px.stats().timersActive();
        PxTimer<Void> t = px.submitTimer(Duration.ofSeconds(30), Duration.ofSeconds(30), ctx -> null);
        assertEquals(before + 1, px.stats().timersActive(), "stats().timersActive after submitTimer");
        t.cancel();
        eventually(() -> px.stats().timersActive() == before, "stats().timersActive back after cancel");
    }
}

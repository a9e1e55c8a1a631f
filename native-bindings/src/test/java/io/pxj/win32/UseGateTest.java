package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The discipline of every call on a TP_WORK / TP_TIMER / TP_WAIT (and of the pool's close): no call is admitted
 * after close, and the closer waits until the calls in progress returned, so nothing is freed under a call.
 */
class UseGateTest {
    @Test
    void noCallIsAdmittedAfterClose() {
        UseGate g = new UseGate();
        assertTrue(g.enter());
        g.exit();
        assertTrue(g.close());
        assertFalse(g.close(), "only the first closer is told to free");
        assertFalse(g.enter());
        assertTrue(g.isClosed());
    }

    @Test
    void theCloserWaitsForTheCallInProgress() throws Exception {
        UseGate g = new UseGate();
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean callReturned = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            assertTrue(g.enter());
            inCall.countDown();
            try {
                release.await(5, TimeUnit.SECONDS); // e.g. inside SetThreadpoolTimer or WaitForThreadpoolTimerCallbacks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            callReturned.set(true);
            g.exit();
        });
        caller.start();
        assertTrue(inCall.await(5, TimeUnit.SECONDS));
        assertTrue(g.close());
        assertEquals(1, g.inUse());
        AtomicBoolean freedWhileInCall = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            g.awaitIdle();
            freedWhileInCall.set(!callReturned.get()); // "free" the native object now
        });
        closer.start();
        closer.join(100);
        assertTrue(closer.isAlive(), "the closer waits while a call is in progress");
        release.countDown();
        closer.join(5000);
        caller.join(5000);
        assertFalse(closer.isAlive());
        assertFalse(freedWhileInCall.get());
        assertEquals(0, g.inUse());
    }

    @Test
    void anUnmatchedExitIsAnError() {
        assertThrows(IllegalStateException.class, () -> new UseGate().exit());
    }
}

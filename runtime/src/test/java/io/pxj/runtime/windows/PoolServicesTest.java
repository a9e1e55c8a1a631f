package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.PxException;
import io.pxj.runtime.internal.BackendSelector;
import io.pxj.runtime.spi.BackendEvent;
import io.pxj.win32.CompletionPort;
import io.pxj.win32.PoolTimer;
import io.pxj.win32.PoolWait;
import io.pxj.win32.WaitCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.mockito.InOrder;

/** Work, timers, waits, events, the main queue and the provider. */
class PoolServicesTest {
    Rig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Rig();
    }

    @Test
    void poolIsCreatedFromTheConfig() throws Exception {
        // minimum == maximum: Windows never retires an idle thread (whose exit would detach it from DllMain)
        verify(rig.api).createThreadPool(4, 4);
        verify(rig.api).createCompletionPort(1);
    }

    @Test
    void executeUsesTrySubmitAndMarksPoolThreads() {
        boolean[] inPool = {false};
        rig.backend.execute(() -> inPool[0] = rig.backend.inPoolThread());
        assertFalse(rig.backend.inPoolThread());
        rig.runPool();
        assertTrue(inPool[0]);
        assertEquals(1, rig.backend.threadCount());
    }

    @Test
    void refusedSubmissionFallsBackToTheOverflowWork() {
        rig.refuseSubmit = true;
        AtomicInteger ran = new AtomicInteger();
        rig.backend.execute(ran::incrementAndGet);
        verify(rig.overflowWork).submit();
        rig.overflowCallback.run();
        assertEquals(1, ran.get());
    }

    @Test
    void taskExceptionsNeverReachThePool() {
        rig.backend.execute(() -> {
            throw new IllegalStateException("boom");
        });
        rig.runPool(); // the pool's callback returns normally
        assertEquals(1L, rig.backend.counters().get("windows.callbackErrors"), "caught and counted");
        AtomicInteger ran = new AtomicInteger();
        rig.backend.execute(ran::incrementAndGet);
        rig.runPool();
        assertEquals(1, ran.get(), "the pool still runs tasks");
        assertEquals(1L, rig.backend.counters().get("windows.callbackErrors"));
    }

    @Test
    void oneShotTimerRunsOnceThenClosesItsTimerFromAnotherCallback() {
        AtomicInteger ran = new AtomicInteger();
        rig.backend.schedule(ran::incrementAndGet, 5_000_000, 0);
        PoolTimer t = rig.timers.get(0);
        verify(t).set(5_000_000L, 0, 0);
        rig.timerCallbacks.get(0).onTimer();
        assertEquals(1, ran.get());
        verify(t, never()).close(); // not from its own callback
        rig.runPool();
        InOrder in = inOrder(t);
        in.verify(t).waitForCallbacks(true);
        in.verify(t).close();
    }

    @Test
    void periodicTimerCancelStopsWaitsThenCloses() {
        AtomicInteger ran = new AtomicInteger();
        Cancellable c = rig.backend.schedule(ran::incrementAndGet, 1_000_000, 2_500_000);
        PoolTimer t = rig.timers.get(0);
        verify(t).set(1_000_000L, 3, 0);
        rig.timerCallbacks.get(0).onTimer();
        rig.timerCallbacks.get(0).onTimer();
        assertEquals(2, ran.get());
        c.cancel();
        c.cancel();
        InOrder in = inOrder(t);
        in.verify(t, org.mockito.Mockito.atLeastOnce()).stop();
        in.verify(t).waitForCallbacks(true);
        in.verify(t).close();
        rig.timerCallbacks.get(0).onTimer(); // a late expiry after cancel does nothing
        assertEquals(2, ran.get());
    }

    @Test
    void timerCancellingItselfDefersTheClose() {
        Cancellable[] self = new Cancellable[1];
        self[0] = rig.backend.schedule(() -> self[0].cancel(), 1_000_000, 1_000_000);
        PoolTimer t = rig.timers.get(0);
        rig.timerCallbacks.get(0).onTimer();
        verify(t).stop();
        verify(t, never()).waitForCallbacks(true); // would deadlock inside its own callback
        rig.runPool();
        verify(t).close();
    }

    @Test
    void waitForRunsOnceWhenSignalledOrTimedOut() {
        BackendEvent e = rig.backend.newEvent();
        List<Boolean> runs = new ArrayList<>();
        rig.backend.waitFor(e, 2_000_000_000L, runs::add);
        PoolWait w = rig.waits.get(0);
        verify(w).set(0xE1L, Duration.ofSeconds(2));
        rig.waitCallbacks.get(0).onWait(WaitCallback.WAIT_TIMEOUT);
        rig.waitCallbacks.get(0).onWait(WaitCallback.WAIT_OBJECT_0);
        assertEquals(List.of(true), runs);
        rig.runPool();
        verify(w).close();
        rig.backend.waitFor(e, -1, runs::add);
        verify(rig.waits.get(1)).set(0xE1L, null);
        rig.waitCallbacks.get(1).onWait(WaitCallback.WAIT_OBJECT_0);
        assertEquals(List.of(true, false), runs);
    }

    @Test
    void cancelledWaitNeverRuns() {
        BackendEvent e = rig.backend.newEvent();
        List<Boolean> runs = new ArrayList<>();
        Cancellable c = rig.backend.waitFor(e, -1, runs::add);
        c.cancel();
        PoolWait w = rig.waits.get(0);
        InOrder in = inOrder(w);
        in.verify(w, org.mockito.Mockito.atLeastOnce()).stop();
        in.verify(w).waitForCallbacks(true);
        in.verify(w).close();
        rig.waitCallbacks.get(0).onWait(WaitCallback.WAIT_OBJECT_0);
        assertTrue(runs.isEmpty());
    }

    @Test
    void eventIsAManualResetKernelEvent() throws Exception {
        BackendEvent e = rig.backend.newEvent();
        verify(rig.api).createEvent(true, false);
        assertFalse(e.isSet());
        e.set();
        verify(rig.api).setEvent(0xE1L);
        assertTrue(e.isSet());
        e.reset();
        verify(rig.api).resetEvent(0xE1L);
        assertFalse(e.isSet());
        e.close();
        e.close();
        verify(rig.api).closeHandle(0xE1L);
        assertThrows(IllegalStateException.class, e::set);
    }

    @Test
    void mainQueuePostsAWakeUpPacketOnlyWhileTheMainThreadWaits() throws Exception {
        IocpMainQueue q = (IocpMainQueue) rig.backend.mainQueue();
        AtomicInteger ran = new AtomicInteger();
        q.post(ran::incrementAndGet);
        verify(rig.port, never()).post(anyInt(), anyLong(), anyLong()); // nobody waits: no system call
        assertEquals(1, q.drain(0));
        when(rig.port.dequeue(org.mockito.ArgumentMatchers.any(), anyInt())).thenAnswer(inv -> {
            q.post(ran::incrementAndGet); // a producer posts while the main thread is blocked in GQCS
            return CompletionPort.DequeueStatus.DEQUEUED;
        });
        assertEquals(1, q.drain(1_000_000_000L));
        verify(rig.port).post(0, 0L, 0L); // key 0, no OVERLAPPED: a bare wake-up
        assertEquals(2, ran.get());
    }

    @Test
    void mainQueueTimesOutAndKeepsWorkingAfterThePortIsClosed() throws Exception {
        IocpMainQueue q = (IocpMainQueue) rig.backend.mainQueue();
        when(rig.port.dequeue(org.mockito.ArgumentMatchers.any(), anyInt())).thenReturn(CompletionPort.DequeueStatus.TIMEOUT);
        assertEquals(0, q.drain(2_000_000L));
        when(rig.port.isClosed()).thenReturn(true);
        q.post(() -> {});
        assertEquals(1, q.drain(1_000_000L));
        assertEquals(0, q.drain(1_000_000L));
    }

    @Test
    void providerIsNamedWindowsWithPriority100() {
        WindowsBackendProvider p = new WindowsBackendProvider();
        assertEquals("windows", p.name());
        assertEquals(100, p.priority());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "checks the non-Windows probe result")
    void providerIsUnavailableOffWindowsWithTheProbesCause() {
        WindowsBackendProvider p = new WindowsBackendProvider();
        assertFalse(p.isAvailable());
        assertNotNull(p.unavailabilityCause());
        assertTrue(p.unavailabilityCause().contains("not Windows"), p.unavailabilityCause());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "checks the non-Windows probe result")
    void forcingWindowsElsewhereFailsWithTheCause() {
        List<io.pxj.runtime.spi.BackendProvider> ps = BackendSelector.discover(getClass().getClassLoader());
        assertTrue(ps.stream().anyMatch(p -> p.name().equals("windows")), "registered with ServiceLoader");
        PxException e = assertThrows(PxException.class, () -> BackendSelector.select("windows", ps));
        assertTrue(e.getMessage().contains("not Windows"), e.getMessage());
    }

    @Test
    void providerWithoutNativesIsNullCauseOnlyWhenAvailable() {
        WindowsBackendProvider p = new WindowsBackendProvider();
        assertEquals(p.isAvailable(), p.unavailabilityCause() == null);
        assertNull(p.isAvailable() ? p.unavailabilityCause() : null);
    }
}

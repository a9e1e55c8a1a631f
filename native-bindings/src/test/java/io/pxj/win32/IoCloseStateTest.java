package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The close-after-last-completion state machine of a PoolIo, without native calls. */
class IoCloseStateTest {

    /** Stands in for the native side: counts "CloseThreadpoolIo" calls and the pending count seen by each. */
    static final class FakeIo {
        final IoCloseState state = new IoCloseState();
        final AtomicInteger nativeCloses = new AtomicInteger();
        final AtomicInteger closesWhilePending = new AtomicInteger();
        final AtomicInteger nativeStarts = new AtomicInteger();
        /** Operations whose StartThreadpoolIo ran and that are not yet accounted for. */
        final AtomicInteger inFlight = new AtomicInteger();

        boolean start() {
            if (!state.tryStart()) return false;
            if (nativeCloses.get() != 0) closesWhilePending.incrementAndGet(); // start on a closed TP_IO
            nativeStarts.incrementAndGet();
            inFlight.incrementAndGet();
            return true;
        }

        void finished() {
            inFlight.decrementAndGet();
            if (state.finished()) nativeClose();
        }

        void close() {
            if (state.requestClose()) nativeClose();
        }

        private void nativeClose() {
            if (inFlight.get() != 0 || state.pending() != 0) closesWhilePending.incrementAndGet();
            nativeCloses.incrementAndGet();
        }
    }

    @Test
    void closeWithNothingPendingClosesOnceAtOnce() {
        FakeIo io = new FakeIo();
        io.close();
        assertEquals(1, io.nativeCloses.get());
        assertTrue(io.state.closed());
        assertTrue(io.state.closeRequested());
    }

    @Test
    void closeWithNPendingClosesAfterTheNthCompletionNotBefore() {
        FakeIo io = new FakeIo();
        int n = 5;
        for (int i = 0; i < n; i++) assertTrue(io.start());
        io.close();
        assertEquals(0, io.nativeCloses.get(), "deferred while operations are outstanding");
        assertTrue(io.state.closeRequested());
        assertFalse(io.state.closed());
        for (int i = 0; i < n - 1; i++) {
            io.finished();
            assertEquals(0, io.nativeCloses.get(), "closed after " + (i + 1) + " of " + n + " completions");
        }
        io.finished();
        assertEquals(1, io.nativeCloses.get());
        assertEquals(0, io.closesWhilePending.get());
        assertEquals(0, io.state.pending());
    }

    @Test
    void syncFailureThenCancelIsTheLastAccountingAndCloses() {
        FakeIo io = new FakeIo();
        assertTrue(io.start()); // an AcceptEx that stays pending
        assertTrue(io.start()); // a call that will fail synchronously
        io.close();
        io.finished(); // the sync failure: CancelThreadpoolIo
        assertEquals(0, io.nativeCloses.get());
        io.finished(); // the aborted completion of the first
        assertEquals(1, io.nativeCloses.get());
        assertEquals(0, io.closesWhilePending.get());
    }

    @Test
    void cancelOrCompletionWithoutStartIsRejected() {
        IoCloseState s = new IoCloseState();
        IllegalStateException e = assertThrows(IllegalStateException.class, s::finished);
        assertTrue(e.getMessage().contains("CancelThreadpoolIo"), e.getMessage());
        assertEquals(0, s.pending());
    }

    @Test
    void doubleCloseIsIdempotent() {
        FakeIo io = new FakeIo();
        io.close();
        io.close();
        assertEquals(1, io.nativeCloses.get());

        FakeIo deferred = new FakeIo();
        deferred.start();
        deferred.close();
        deferred.close();
        deferred.finished();
        deferred.close();
        assertEquals(1, deferred.nativeCloses.get());
    }

    @Test
    void startAfterCloseIsRefusedWithoutTouchingTheHandle() {
        FakeIo io = new FakeIo();
        io.start();
        io.close();
        assertFalse(io.start(), "no start once close was requested, even with operations outstanding");
        assertEquals(1, io.nativeStarts.get());
        assertEquals(1, io.state.pending());
        io.finished();
        assertFalse(io.start());
        assertEquals(1, io.nativeStarts.get());
    }

    @Test
    void aRefusedStartCanBeExplained() {
        // The facade's message: built by NativeThreadPool.Io.start(); the state alone refuses.
        IoCloseState s = new IoCloseState();
        s.requestClose();
        assertFalse(s.tryStart());
        assertTrue(s.toString().contains("close requested"), s.toString());
    }

    /**
     * The interleaving the old check-then-act allowed: start() checked "open", close() ran CloseThreadpoolIo, then
     * start() called StartThreadpoolIo on the freed TP_IO. Now the admission is the check and the count in one CAS,
     * so a close that lands between admission and the native start is deferred past that operation.
     */
    @Test
    void closeLandingBetweenAdmissionAndTheNativeStartIsDeferredPastThatOperation() {
        FakeIo io = new FakeIo();
        assertTrue(io.state.tryStart()); // start(): admitted ...
        io.close(); // ... close() runs here, on another thread in real life
        assertEquals(0, io.nativeCloses.get(), "CloseThreadpoolIo must not run before the admitted start");
        io.nativeStarts.incrementAndGet(); // ... StartThreadpoolIo on a live TP_IO
        io.finished(); // its completion (or CancelThreadpoolIo)
        assertEquals(1, io.nativeCloses.get());
    }

    @RepeatedTest(20)
    void closeRacingStartsNeverClosesBetweenAnAdmittedStartAndItsNativeCall() throws Exception {
        IoCloseState s = new IoCloseState();
        AtomicInteger nativeClosed = new AtomicInteger();
        AtomicInteger startsOnClosed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread starter = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < 10_000; i++) {
                if (!s.tryStart()) break;
                if (nativeClosed.get() != 0) startsOnClosed.incrementAndGet(); // "StartThreadpoolIo" after close
                if (s.finished()) nativeClosed.incrementAndGet();
            }
        });
        starter.start();
        go.countDown();
        if (s.requestClose()) nativeClosed.incrementAndGet();
        starter.join(30_000);
        assertEquals(1, nativeClosed.get());
        assertEquals(0, startsOnClosed.get());
    }

    @Test
    void groupTakeoverFirstMeansTheObjectNeverClosesItself() {
        IoCloseState s = new IoCloseState();
        assertTrue(s.tryStart());
        assertTrue(s.takenByGroup());
        assertFalse(s.tryStart(), "no start once the group owns it");
        assertFalse(s.requestClose(), "group closes it; the object must not");
        assertFalse(s.finished(), "nor after its last completion");
        assertFalse(s.requestClose());
    }

    @Test
    void ownCloseFirstMeansTheGroupDoesNotTakeOver() {
        IoCloseState s = new IoCloseState();
        assertTrue(s.requestClose());
        assertFalse(s.takenByGroup());

        IoCloseState deferred = new IoCloseState();
        deferred.tryStart();
        deferred.requestClose();
        assertTrue(deferred.finished());
        assertFalse(deferred.takenByGroup());
    }

    @RepeatedTest(20)
    void concurrentStartCompleteCloseClosesExactlyOnceNeverWhilePending() throws Exception {
        FakeIo io = new FakeIo();
        int threads = 4;
        int perThread = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> ts = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        if (!io.start()) {
                            refused.incrementAndGet();
                            continue;
                        }
                        if (r.nextInt(8) == 0) Thread.yield();
                        io.finished(); // completion or cancel, on this or (via the queue below) another thread
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        Thread closer = new Thread(() -> {
            try {
                go.await();
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                io.close();
                io.close();
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        closer.start();
        go.countDown();
        for (Thread th : ts) th.join(TimeUnit.SECONDS.toMillis(30));
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(errors.isEmpty(), errors::toString);
        assertEquals(1, io.nativeCloses.get(), "exactly one native close");
        assertEquals(0, io.closesWhilePending.get(), "never while pending, no start after it");
        assertEquals(0, io.state.pending());
        assertEquals(threads * perThread, io.nativeStarts.get() + refused.get());
    }

    @RepeatedTest(10)
    void completionsOnOtherThreadsRacingCloseAndGroupTakeoverHandOutOneClose() throws Exception {
        IoCloseState s = new IoCloseState();
        int n = 64;
        for (int i = 0; i < n; i++) assertTrue(s.tryStart());
        AtomicInteger handedOut = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < n / 4; i++) if (s.finished()) handedOut.incrementAndGet();
            });
            ts.add(th);
            th.start();
        }
        Thread closer = new Thread(() -> {
            if (s.requestClose()) handedOut.incrementAndGet();
        });
        Thread group = new Thread(() -> {
            if (s.takenByGroup()) handedOut.incrementAndGet();
        });
        go.countDown();
        closer.start();
        group.start();
        for (Thread th : ts) th.join();
        closer.join();
        group.join();
        assertEquals(1, handedOut.get(), s.toString());
        assertEquals(0, s.pending());
    }
}

package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.pxj.win32.CompletionPort;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** {@link IocpMainQueue}: no wake-up post or dequeue can reach the port handle once {@link IocpMainQueue#closePort()} closed it. */
class IocpMainQueueCloseTest {
    /** What went wrong on the helper threads, asserted on the test thread (an exception there is otherwise lost). */
    private final java.util.Queue<Throwable> elsewhere = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Thread thread(Runnable body) {
        Thread t = new Thread(body);
        t.setUncaughtExceptionHandler((th, e) -> elsewhere.add(e));
        return t;
    }

    private void assertNothingFailedElsewhere() {
        Throwable first = elsewhere.peek();
        if (first != null) throw new AssertionError(elsewhere.size() + " helper thread failure(s)", first);
    }

    @Test
    void closeWaitsForAWakeUpPostInFlightInsteadOfClosingUnderIt() throws Exception {
        CompletionPort port = mock(CompletionPort.class);
        IocpMainQueue q = new IocpMainQueue(port);
        CountDownLatch inPost = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger posts = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        doAnswer(inv -> {
            if (posts.getAndIncrement() == 0) { // the waker: past its "closed?" check, inside the post
                inPost.countDown();
                released.set(release.await(10, TimeUnit.SECONDS));
            }
            return null;
        }).when(port).post(anyInt(), anyLong(), anyLong());

        Thread waker = thread(q::wake);
        waker.start();
        assertTrue(inPost.await(10, TimeUnit.SECONDS));
        Thread closer = thread(q::closePort);
        closer.start();
        Thread.sleep(150);
        verify(port, never()).close(); // the old check-then-act closed here, under the post
        assertTrue(closer.isAlive());
        release.countDown();
        closer.join(10_000);
        waker.join(10_000);
        assertFalse(closer.isAlive());
        assertFalse(waker.isAlive());
        assertTrue(released.get(), "the post in flight was released by the test, not by its timeout");
        assertNothingFailedElsewhere();
        InOrder order = inOrder(port);
        order.verify(port, org.mockito.Mockito.atLeastOnce()).post(0, 0L, 0L);
        order.verify(port).close();
    }

    @Test
    void aWakeUpAfterCloseNeverTouchesThePort() throws Exception {
        CompletionPort port = mock(CompletionPort.class);
        when(port.isClosed()).thenReturn(false); // the handle's own flag is not what protects it
        IocpMainQueue q = new IocpMainQueue(port);
        q.closePort();
        q.closePort(); // idempotent
        q.wake();
        q.post(() -> {});
        verify(port, never()).post(anyInt(), anyLong(), anyLong());
        verify(port, times(1)).close();
        assertEquals(1, q.drain(1_000_000L)); // tasks still run after close
        verify(port, never()).dequeue(any(), anyInt());
    }

    @Test
    void closeKicksAMainThreadBlockedInTheDequeueAndClosesAfterItReturned() throws Exception {
        CompletionPort port = mock(CompletionPort.class);
        IocpMainQueue q = new IocpMainQueue(port);
        CountDownLatch inDequeue = new CountDownLatch(1);
        CountDownLatch kicked = new CountDownLatch(1);
        AtomicReference<String> order = new AtomicReference<>("");
        java.util.concurrent.atomic.AtomicBoolean kickedInTime = new java.util.concurrent.atomic.AtomicBoolean();
        when(port.dequeue(any(), anyInt())).thenAnswer(inv -> {
            inDequeue.countDown();
            boolean k = kicked.await(10, TimeUnit.SECONDS);
            kickedInTime.set(k);
            order.accumulateAndGet("dequeue-returned;", String::concat);
            return k ? CompletionPort.DequeueStatus.DEQUEUED : CompletionPort.DequeueStatus.TIMEOUT;
        });
        doAnswer(inv -> {
            kicked.countDown();
            return null;
        }).when(port).post(anyInt(), anyLong(), anyLong());
        doAnswer(inv -> {
            order.accumulateAndGet("close;", String::concat);
            return null;
        }).when(port).close();

        Thread main = thread(() -> {
            try {
                q.drain(TimeUnit.SECONDS.toNanos(2));
            } catch (InterruptedException e) {
                throw new AssertionError("drain interrupted", e);
            }
        });
        main.start();
        assertTrue(inDequeue.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        q.closePort();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close was not held up by the full dequeue timeout");
        assertEquals("dequeue-returned;close;", order.get());
        main.join(10_000);
        assertFalse(main.isAlive());
        assertTrue(kickedInTime.get(), "the dequeue returned because close posted the kick");
        assertNothingFailedElsewhere();
        verify(port, times(1)).dequeue(any(), anyInt()); // after close the main thread parks instead
    }
}

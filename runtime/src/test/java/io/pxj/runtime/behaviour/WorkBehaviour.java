package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.PxStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** submitWork: parallel execution, callback/errback on the main thread, the returned stage. */
public abstract class WorkBehaviour extends BackendTestSupport {

    @Test
    void callbackGetsTheResultOnTheMainThread() throws Exception {
        AtomicReference<Thread> fnThread = new AtomicReference<>();
        AtomicReference<ParallelContext> fnCtx = new AtomicReference<>();
        CompletableFuture<Thread> callbackThread = new CompletableFuture<>();
        AtomicReference<Integer> value = new AtomicReference<>();
        CompletionStage<Integer> stage = px.submitWork(ctx -> {
            fnThread.set(Thread.currentThread());
            fnCtx.set(ctx);
            assertNull(ctx.transport(), "a work context has no transport");
            assertSame(px, ctx.runtime(), "ctx.runtime()");
            return 6 * 7;
        }, v -> {
            value.set(v);
            callbackThread.complete(Thread.currentThread());
        }, e -> callbackThread.completeExceptionally(new AssertionError("errback called", e)));
        assertEquals(42, await(stage, "the work stage"), "stage value");
        assertSame(mainThread, await(callbackThread, "callback"), "callback runs on the main thread");
        assertEquals(42, value.get(), "callback value");
        assertTrue(isPoolThread(fnThread.get()), "work runs on a pxj pool thread, not " + fnThread.get());
        assertTrue(fnCtx.get() != null, "work gets a context");
    }

    @Test
    void errbackGetsTheThrownExceptionOnTheMainThread() throws Exception {
        IOException boom = new IOException("boom");
        CompletableFuture<Throwable> errback = new CompletableFuture<>();
        AtomicReference<Thread> errThread = new AtomicReference<>();
        AtomicInteger callbacks = new AtomicInteger();
        CompletionStage<Object> stage = px.submitWork(ctx -> {
            throw boom;
        }, v -> callbacks.incrementAndGet(), e -> {
            errThread.set(Thread.currentThread());
            errback.complete(e);
        });
        assertSame(boom, await(errback, "errback"), "errback gets the exception the function threw");
        assertSame(mainThread, errThread.get(), "errback runs on the main thread");
        assertSame(boom, awaitFailure(stage, "the work stage"), "the stage fails with the same exception");
        assertEquals(0, callbacks.get(), "callback not called when the function throws");
    }

    @Test
    @ManualMainLoop
    void resultsAreDeliveredOnlyWhileTheMainThreadRunsTheLoop() throws Exception {
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        CompletionStage<String> stage = px.submitWork(ctx -> "done", v -> callbackThread.set(Thread.currentThread()),
                e -> { });
        assertEquals("done", await(stage, "work stage (completes on the pool thread)"));
        stays(Duration.ofMillis(150), () -> callbackThread.get() == null,
                "callback must wait for runOnce on the main thread");
        pumpUntil(() -> callbackThread.get() != null, "the callback");
        assertSame(Thread.currentThread(), callbackThread.get(), "callback ran inside runOnce on this (main) thread");
    }

    @Test
    void workItemsRunInParallel() throws Exception {
        CyclicBarrier both = new CyclicBarrier(2);
        List<CompletionStage<Thread>> stages = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            stages.add(px.submitWork(ctx -> {
                both.await(10, TimeUnit.SECONDS); // only passes if both run at once
                return Thread.currentThread();
            }, v -> { }, e -> { }));
        }
        Thread a = await(stages.get(0), "first work item (needs a second pool thread to meet it)");
        Thread b = await(stages.get(1), "second work item");
        assertNotSame(a, b, "two work items ran at the same time on different threads");
    }

    @Test
    void manyWorkItemsAreEachDeliveredExactlyOnce() throws Exception {
        final int n = 500;
        PxStats before = px.stats();
        List<Integer> results = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            px.submitWork(ctx -> k * 2, v -> {
                results.add(v);
                all.countDown();
            }, e -> fail(e));
        }
        await(all, n + " callbacks");
        stays(Duration.ofMillis(100), () -> results.size() == n, "no duplicate deliveries: " + results.size());
        assertEquals((long) n * (n - 1), results.stream().mapToLong(Integer::longValue).sum(), "sum of results");
        eventually(() -> px.stats().workCompleted() - before.workCompleted() == n, "stats().workCompleted += " + n);
        assertEquals(n, px.stats().workSubmitted() - before.workSubmitted(), "stats().workSubmitted += " + n);
    }

    private static void fail(Throwable e) {
        throw new AssertionError("unexpected errback", e);
    }

    @Test
    void aWorkContextStartsEmptyAndCanAllocate() throws Exception {
        CompletionStage<long[]> stage = px.submitWork(ctx -> {
            long before = ctx.arenaBytesInUse();
            ctx.allocate(1000).put(new byte[1000]);
            return new long[] {before, ctx.arenaBytesInUse()};
        }, v -> { }, e -> { });
        long[] r = await(stage, "work");
        assertEquals(0, r[0], "a work context starts with an empty arena");
        assertTrue(r[1] >= 1000, "arenaBytesInUse after allocate(1000) is >= 1000: " + r[1]);
    }

    @Test
    void parallelCodeCanSubmitMoreWork() throws Exception {
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<Thread> innerCallbackThread = new CompletableFuture<>();
        px.submitWork(ctx -> ctx.runtime().submitWork(c2 -> "inner", v -> {
            innerCallbackThread.complete(Thread.currentThread());
            inner.complete(v);
        }, inner::completeExceptionally) != null, v -> { }, inner::completeExceptionally);
        assertEquals("inner", await(inner, "nested work"));
        assertSame(mainThread, await(innerCallbackThread, "nested callback"), "nested callback on the main thread");
    }
}

package io.pxj.runtime.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ProtectionException;
import io.pxj.runtime.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The main thread: callFromMainThread(+AndWait), publish/published, main-thread-only methods, runOnce. */
public abstract class MainThreadBehaviour extends BackendTestSupport {

    @Test
    void callFromMainThreadFromParallelCodeRunsOnTheMainThreadInOrder() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<List<Integer>> seenByCallback = new CompletableFuture<>();
        px.submitWork(ctx -> {
            for (int i = 0; i < 200; i++) {
                int k = i;
                ctx.callFromMainThread(() -> {
                    order.add(k);
                    threads.add(Thread.currentThread());
                });
            }
            return null;
        }, v -> seenByCallback.complete(new ArrayList<>(order)), seenByCallback::completeExceptionally);
        List<Integer> atCallback = await(seenByCallback, "work callback");
        List<Integer> expected = IntStream.range(0, 200).boxed().toList();
        assertEquals(expected, atCallback, "tasks queued by the function ran, in order, before its callback");
        assertTrue(threads.stream().allMatch(t -> t == mainThread), "every task ran on the main thread");
    }

    @Test
    void callFromMainThreadKeepsEachProducersOrder() throws Exception {
        final int perProducer = 500;
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2 * perProducer);
        ExecutorService producers = clientThreads(2);
        for (String name : List.of("a", "b")) {
            producers.execute(() -> {
                for (int i = 0; i < perProducer; i++) {
                    String item = name + i;
                    px.callFromMainThread(() -> {
                        order.add(item);
                        done.countDown();
                    });
                }
            });
        }
        await(done, "all main-thread tasks");
        for (String name : List.of("a", "b")) {
            List<String> mine = order.stream().filter(s -> s.startsWith(name)).toList();
            assertEquals(IntStream.range(0, perProducer).mapToObj(i -> name + i).toList(), mine,
                    "producer " + name + "'s tasks run in the order it queued them");
        }
    }

    @Test
    void callFromMainThreadAndWaitReturnsWhatTheMainThreadComputed() throws Exception {
        CompletionStage<String> stage = px.submitWork(ctx -> ctx.callFromMainThreadAndWait(
                () -> "computed on " + Thread.currentThread().getName(), Duration.ofSeconds(10)), v -> { }, e -> { });
        assertEquals("computed on " + mainThread.getName(), await(stage, "work"));
        assertEquals(mainThread.getName(), px.callFromMainThreadAndWait(() -> Thread.currentThread().getName(), WAIT),
                "also from a non-pool, non-main thread");
    }

    @Test
    void callFromMainThreadAndWaitPassesTheTasksExceptionBack() throws Exception {
        IllegalStateException bad = new IllegalStateException("bad");
        CompletionStage<String> stage = px.submitWork(ctx -> ctx.callFromMainThreadAndWait(() -> {
            throw bad;
        }, Duration.ofSeconds(10)), v -> { }, e -> { });
        Throwable t = awaitFailure(stage, "work");
        assertTrue(causedBy(t, bad), "the task's exception reaches the waiting caller: " + t);
    }

    @Test
    @ManualMainLoop
    void callFromMainThreadAndWaitTimesOutWhenTheMainThreadDoesNotRunIt() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CompletionStage<String> stage = px.submitWork(ctx -> {
            try {
                ctx.callFromMainThreadAndWait(ran::incrementAndGet, Duration.ofMillis(200));
                return "no timeout";
            } catch (WaitTimeoutException e) {
                return "timeout";
            }
        }, v -> { }, e -> { });
        // This thread is the main thread and does not run the loop meanwhile.
        assertEquals("timeout", await(stage, "work"), "WaitTimeoutException after 200 ms");
        assertEquals(0, ran.get(), "the task did not run (the main thread was not in runOnce)");
    }

    @Test
    @ManualMainLoop
    void callFromMainThreadAndWaitOnTheMainThreadThrowsProtectionException() {
        assertThrows(ProtectionException.class, () -> px.callFromMainThreadAndWait(() -> 1, Duration.ofSeconds(1)),
                "the main thread would wait for itself");
    }

    @Test
    void publishedStateIsVisibleToParallelCode() throws Exception {
        List<String> config = List.of("alpha", "beta");
        onMain(() -> {
            px.publish("config", config);
            return null;
        });
        CompletionStage<List<?>> seen = px.submitWork(ctx -> ctx.published("config", List.class), v -> { }, e -> { });
        assertEquals(config, await(seen, "work reading published state"));
        assertEquals(config, px.published("config", List.class), "px.published from any thread");
        assertNull(px.published("absent", Object.class), "absent name -> null");
        CompletionStage<Object> absent = px.submitWork(ctx -> ctx.published("absent", Object.class), v -> { },
                e -> { });
        assertNull(await(absent, "work reading an absent name"));
    }

    @Test
    void publishOffTheMainThreadThrowsProtectionException() throws Exception {
        assertThrows(ProtectionException.class, () -> px.publish("x", "from the test thread"),
                "publish from a thread that is neither main nor pool");
        CompletionStage<Throwable> fromParallel = px.submitWork(ctx -> {
            try {
                ctx.runtime().publish("x", "from parallel code");
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, v -> { }, e -> { });
        assertTrue(await(fromParallel, "work") instanceof ProtectionException,
                "publish from parallel code throws ProtectionException");
        assertNull(px.published("x", String.class), "nothing was published");
    }

    @Test
    void runAndRunOnceOffTheMainThreadThrowProtectionException() throws Exception {
        assertThrows(ProtectionException.class, () -> px.runOnce(Duration.ZERO), "runOnce from the test thread");
        assertThrows(ProtectionException.class, () -> px.run(), "run from the test thread");
        CompletionStage<Throwable> fromParallel = px.submitWork(ctx -> {
            try {
                ctx.runtime().runOnce(Duration.ZERO);
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, v -> { }, e -> { });
        assertTrue(await(fromParallel, "work") instanceof ProtectionException,
                "runOnce from parallel code throws ProtectionException");
    }

    @Test
    @ManualMainLoop
    void runOnceRunsQueuedTasksInOrderAndCountsThem() {
        List<Integer> order = new ArrayList<>(); // main thread only: no lock needed
        for (int i = 0; i < 3; i++) {
            int k = i;
            px.callFromMainThread(() -> order.add(k));
        }
        assertEquals(List.of(), order, "nothing runs before runOnce");
        int ran = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (order.size() < 3 && System.nanoTime() < deadline) ran += px.runOnce(Duration.ofMillis(10));
        assertEquals(List.of(0, 1, 2), order, "queued tasks run in order");
        assertTrue(ran >= 3, "runOnce reports the tasks it ran: " + ran);
    }

    @Test
    @ManualMainLoop
    void runOnceWakesUpWhenAnotherThreadQueuesATask() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        clientThreads(1).execute(() -> {
            sleepQuietly(100);
            px.callFromMainThread(() -> ranOn.set(Thread.currentThread()));
        });
        long start = System.nanoTime();
        int ran = 0;
        while (ranOn.get() == null && System.nanoTime() - start < WAIT.toNanos()) ran += px.runOnce(Duration.ofSeconds(30));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertSame(Thread.currentThread(), ranOn.get(), "the task ran on the main thread");
        assertTrue(ran >= 1, "runOnce counted it");
        assertTrue(ms < 10_000, "runOnce(30 s) returned " + ms + " ms after start: a posted task must wake it");
    }

    @Test
    void aThrowingMainThreadTaskDoesNotStopTheMainLoop() throws Exception {
        px.callFromMainThread(() -> {
            throw new IllegalStateException("main-thread task fails on purpose");
        });
        assertEquals("still running", onMain(() -> "still running"), "the loop runs later tasks");
        assertTrue(mainThread.isAlive(), "the main loop thread is alive");
    }
}

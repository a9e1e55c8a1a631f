package io.pxj.bench.jmh;

import io.pxj.runtime.Px;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A tiny task's trip to a pool thread and back: PxJ's {@code submitWork} (the task runs in a parallel context on
 * a pool thread; the returned stage completes there) against a {@link ForkJoinPool} of the same size
 * ({@code CompletableFuture.supplyAsync}). {@code roundTrip*}: one task at a time, average latency.
 * {@code batch*}: 1,000 tasks in flight, then wait for all (throughput, per task).
 *
 * <p>The PxJ main thread runs {@code px.run()} on a thread of its own, as a server's would; the callback and
 * errback are null, so nothing is queued to it per task.
 *
 * <pre>java -jar pxj-bench.jar jmh SubmitWorkBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubmitWorkBench {
    static final int BATCH = 1000;

    private Px px;
    private Thread main;
    private ForkJoinPool fj;

    @Setup(Level.Trial)
    public void setup() throws InterruptedException {
        int threads = Runtime.getRuntime().availableProcessors();
        CountDownLatch ready = new CountDownLatch(1);
        main = new Thread(() -> {
            try (Px p = Px.builder().threads(threads).build()) {
                px = p;
                ready.countDown();
                p.run();
            }
        }, "pxj-jmh-main");
        main.start();
        if (!ready.await(30, TimeUnit.SECONDS)) { throw new IllegalStateException("PxJ did not start"); }
        fj = new ForkJoinPool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        px.shutdown();
        main.join(10_000);
        fj.shutdownNow();
    }

    @Benchmark
    public Integer roundTripPxj() {
        return px.submitWork(ctx -> 42, null, null).toCompletableFuture().join();
    }

    @Benchmark
    public Integer roundTripForkJoin() {
        return CompletableFuture.supplyAsync(() -> 42, fj).join();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchPxj() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] fs = new CompletableFuture[BATCH];
        for (int i = 0; i < BATCH; i++) { fs[i] = px.submitWork(ctx -> 42, null, null).toCompletableFuture(); }
        int sum = 0;
        for (CompletableFuture<Integer> f : fs) { sum += f.join(); }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchForkJoin() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] fs = new CompletableFuture[BATCH];
        for (int i = 0; i < BATCH; i++) { fs[i] = CompletableFuture.supplyAsync(() -> 42, fj); }
        int sum = 0;
        for (CompletableFuture<Integer> f : fs) { sum += f.join(); }
        return sum;
    }

}

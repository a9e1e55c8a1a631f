package io.pxj.bench.jmh;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.Px;
import io.pxj.runtime.internal.AddressRegistry;
import io.pxj.runtime.internal.ArenaPool;
import io.pxj.runtime.internal.ContextHost;
import io.pxj.runtime.internal.ContextImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Arena cost: one "callback" = {@code allocations} bump allocations of {@code size} bytes, each written, then the
 * rollback that ends the callback. Uses the runtime's own ArenaPool and ContextImpl (public in
 * io.pxj.runtime.internal) with a stub host, so it needs no backend. {@code checks} is the generation check that
 * {@code -Dpxj.checks=false} turns off.
 *
 * <pre>java -jar pxj-bench.jar jmh ArenaBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArenaBench {
    @Param({"64", "1024"})
    int size;

    @Param({"1", "8"})
    int allocations;

    @Param({"true", "false"})
    boolean checks;

    private ArenaPool pool;
    private ContextImpl ctx;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setup() {
        pool = new ArenaPool(ArenaPool.DEFAULT_CHUNK_SIZE, 16L << 20, checks, 64, AddressRegistry.GLOBAL);
        ctx = new ContextImpl(1, new StubHost(), pool);
        ctx.enter();
        payload = new byte[size];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.releaseAll();
        ctx.exit();
        pool.close();
    }

    /** Allocate + write + rollback: a callback's whole arena life. */
    @Benchmark
    public long allocateWriteRollback() {
        long n = 0;
        for (int i = 0; i < allocations; i++) {
            ArenaBuffer b = ctx.allocate(size);
            b.put(payload);
            n += b.length();
        }
        ctx.rollback();
        return n;
    }

    /** The heap baseline the arena replaces: a fresh byte[] per response (garbage for the GC). */
    @Benchmark
    public long heapBaseline() {
        long n = 0;
        for (int i = 0; i < allocations; i++) {
            byte[] b = new byte[size];
            System.arraycopy(payload, 0, b, 0, size);
            n += b.length;
        }
        return n;
    }

    /** Nothing from a real runtime is needed: the context is only allocated from, on this thread. */
    static final class StubHost implements ContextHost {
        @Override
        public Px px() {
            return null;
        }

        @Override
        public boolean isMainThread(Thread t) {
            return false;
        }

        @Override
        public void callFromMainThread(Runnable task) {
            task.run();
        }

        @Override
        public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception {
            return task.call();
        }

        @Override
        public <T> T published(String name, Class<T> type) {
            return null;
        }
    }
}

package io.pxj.testfakes;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Px;
import io.pxj.runtime.Transport;

import java.time.Duration;
import java.util.concurrent.Callable;

/** A single-threaded ParallelContext: heap "arena", explicit {@link #rollback()}, no runtime. */
public final class FakeContext implements ParallelContext {
    private final Transport transport;
    private long generation = 1;
    private long inUse;
    private long allocations;

    public FakeContext(Transport transport) {
        this.transport = transport;
    }

    /** Ends the arena generation: every buffer allocated so far becomes invalid. */
    public void rollback() {
        generation++;
        inUse = 0;
    }

    /** Allocations made so far (to check that a steady-state path allocates one chunk per read). */
    public long allocations() {
        return allocations;
    }

    @Override public long id() { return 1; }
    @Override public long generation() { return generation; }
    @Override public Px runtime() { throw new UnsupportedOperationException("no runtime in unit tests"); }
    @Override public Transport transport() { return transport; }

    @Override public ArenaBuffer allocate(int size) {
        if (size < 0) throw new IllegalArgumentException("size < 0");
        allocations++;
        inUse += size;
        return new HeapArenaBuffer(this, size);
    }

    @Override public long arenaBytesInUse() { return inUse; }
    @Override public void callFromMainThread(Runnable task) { task.run(); }
    @Override public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception { return task.call(); }
    @Override public <T> T published(String name, Class<T> type) { return null; }
}

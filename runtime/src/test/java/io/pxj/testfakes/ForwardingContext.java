package io.pxj.testfakes;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Px;
import io.pxj.runtime.Transport;

import java.time.Duration;
import java.util.concurrent.Callable;

/** A ParallelContext delegating everything, for tests that change one behaviour. */
public class ForwardingContext implements ParallelContext {
    private final ParallelContext inner;

    public ForwardingContext(ParallelContext inner) {
        this.inner = inner;
    }

    @Override public long id() { return inner.id(); }
    @Override public long generation() { return inner.generation(); }
    @Override public Px runtime() { return inner.runtime(); }
    @Override public Transport transport() { return inner.transport(); }
    @Override public ArenaBuffer allocate(int size) { return inner.allocate(size); }
    @Override public long arenaBytesInUse() { return inner.arenaBytesInUse(); }
    @Override public void callFromMainThread(Runnable task) { inner.callFromMainThread(task); }
    @Override public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception {
        return inner.callFromMainThreadAndWait(task, timeout);
    }
    @Override public <T> T published(String name, Class<T> type) { return inner.published(name, type); }
}

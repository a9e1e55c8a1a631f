package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.DirectMemory;
import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ArenaExhaustedException;
import io.pxj.runtime.ContextEscapeException;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.ProtectionException;
import io.pxj.runtime.Px;
import io.pxj.runtime.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A parallel context and its arena: bump allocation over direct chunks from an {@link ArenaPool}, released in
 * one step by {@link #rollback()}.
 *
 * <h2>Threading contract</h2>
 * A context has one owner at a time: the thread running its callback (or the connection's event thread for the
 * core's own bookkeeping). Ownership moves only through a happens-before edge (the context free list, a
 * backend's task hand-off, or the per-connection serialisation the SPI guarantees), so the arena fields are
 * plain. {@link #runningThread} is set by the owner around each user callback; the public methods compare it
 * with the current thread. It is deliberately a plain field: a thread can only ever observe itself there if it
 * wrote itself last, so a stale read can produce a false "not running" but never a false "running".
 *
 * <h2>Handle pooling</h2>
 * With checks on, every allocation gets a new {@link ArenaBufferImpl} that remembers the generation, so a stale
 * handle fails loudly. With checks off the handles are pooled per context and reused after rollback: zero
 * garbage, at the price that a persisted handle silently aliases newer data (that is what "checks off" means).
 */
public final class ContextImpl implements ParallelContext {
    private final long id;
    private final ContextHost host;
    private final ArenaPool pool;
    private final boolean checks;

    long generation;
    Thread runningThread;
    private Transport transport;

    // The chunks in use: the first in a field, any others in an array made when a callback needs a second one,
    // so that an idle connection's context holds no array.
    private ByteBuffer chunk0;
    private ByteBuffer[] moreChunks;
    private int chunkCount;
    private int offset;        // bump pointer inside the last chunk
    private long bytesInUse;
    private int pins;          // in-flight sends that read arena memory: rollback waits for them

    private ArenaBufferImpl[] handles; // checks off only
    private int handlesUsed;

    public ContextImpl(long id, ContextHost host, ArenaPool pool) {
        this.id = id;
        this.host = host;
        this.pool = pool;
        this.checks = pool.checks();
        this.handles = checks ? null : new ArenaBufferImpl[8];
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public Px runtime() {
        return host.px();
    }

    @Override
    public Transport transport() {
        return transport;
    }

    public void transport(Transport t) {
        this.transport = t;
    }

    // ------------------------------------------------------------------ callback bracketing (core only)

    /** Marks the calling thread as running this context's callback. */
    public void enter() {
        runningThread = Thread.currentThread();
    }

    public void exit() {
        runningThread = null;
    }

    public boolean inCallback() {
        return runningThread != null;
    }

    private void checkThread(String method) {
        Thread t = Thread.currentThread();
        if (runningThread == t) { return; }
        if (host.isMainThread(t)) {
            throw new ProtectionException("ParallelContext." + method + " called on the main thread: parallel"
                    + " contexts belong to the callbacks they are passed to (context #" + id + ")");
        }
        throw new ProtectionException("ParallelContext." + method + " called on " + t.getName()
                + ", which is not running a callback of context #" + id
                + ": a context may only be used inside the callback it was passed to, and not after it returned");
    }

    // ------------------------------------------------------------------ arena

    @Override
    public ArenaBuffer allocate(int size) {
        checkThread("allocate");
        return allocateInternal(size);
    }

    /**
     * Caller-owned handles (io.pxj.http's response output) are never pooled here: a pooled handle is re-pointed
     * by the next callback's allocations, which would move memory under the caller.
     */
    @Override
    public ArenaBuffer allocate(int size, ArenaBuffer reuse) {
        checkThread("allocate");
        ArenaBufferImpl h;
        if (reuse == null) {
            h = new ArenaBufferImpl();
            h.callerOwned = true;
        } else if (reuse instanceof ArenaBufferImpl r && r.callerOwned) {
            h = r;
        } else {
            throw new IllegalArgumentException("reuse must be a handle returned by allocate(int, ArenaBuffer)");
        }
        return allocateInternal(size, h);
    }

    /** Allocation for the core itself (e.g. staging heap data on the connection's event thread). */
    public ArenaBufferImpl allocateInternal(int size) {
        return allocateInternal(size, null);
    }

    private ArenaBufferImpl allocateInternal(int size, ArenaBufferImpl reuse) {
        if (size < 0) { throw new IllegalArgumentException("size must be >= 0: " + size); }
        if (bytesInUse + size > pool.perContextLimit()) {
            throw new ArenaExhaustedException("context #" + id + ": allocating " + size + " bytes would pass the"
                    + " arena limit of " + pool.perContextLimit() + " bytes per context (" + bytesInUse
                    + " in use); send or release data in smaller pieces, or raise Px.builder().arenaLimitPerContext");
        }
        ByteBuffer chunk = chunkCount == 0 ? null : chunk(chunkCount - 1);
        if (chunk == null || chunk.capacity() - offset < size) {
            chunk = pool.acquireChunk(size);
            if (chunkCount == 0) {
                chunk0 = chunk;
            } else {
                if (moreChunks == null) {
                    moreChunks = new ByteBuffer[2];
                } else if (chunkCount - 1 == moreChunks.length) {
                    moreChunks = Arrays.copyOf(moreChunks, moreChunks.length * 2);
                }
                moreChunks[chunkCount - 1] = chunk;
            }
            chunkCount++;
            offset = 0;
        }
        int base = offset;
        offset += size;
        bytesInUse += size;
        pool.allocated(size);
        ArenaBufferImpl h;
        if (reuse != null) {
            h = reuse;
        } else if (checks) {
            h = new ArenaBufferImpl();
        } else {
            if (handlesUsed == handles.length) { handles = Arrays.copyOf(handles, handlesUsed * 2); }
            h = handles[handlesUsed];
            if (h == null) { handles[handlesUsed] = h = new ArenaBufferImpl(); }
            handlesUsed++;
        }
        h.init(this, generation, chunk, base, size);
        return h;
    }

    @Override
    public long arenaBytesInUse() {
        checkThread("arenaBytesInUse");
        return bytesInUse;
    }

    /** Arena bytes in use, for the core (no thread check). */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** True if {@code b} views memory of one of this context's chunks (so sending it must pin the arena). */
    public boolean owns(ByteBuffer b) {
        if (chunkCount == 0 || !b.isDirect()) { return false; }
        long a = DirectMemory.address(b);
        if (a == 0) { return false; }
        for (int i = 0; i < chunkCount; i++) {
            ByteBuffer c = chunk(i);
            long base = DirectMemory.address(c);
            if (a >= base && a < base + c.capacity()) { return true; }
        }
        return false;
    }

    public void pin() {
        pins++;
    }

    /** @return true if this was the last pin */
    public boolean unpin() {
        if (pins <= 0) { throw new IllegalStateException("unbalanced unpin on context #" + id); }
        return --pins == 0;
    }

    public int pins() {
        return pins;
    }

    /**
     * Releases everything allocated since the last rollback and invalidates every handle of this generation; every
     * chunk goes back to the pool, so a context between callbacks (an idle connection's) holds no arena memory.
     * The pool hands a loop thread its last chunk back first, so the next callback usually gets the same one.
     */
    public void rollback() {
        generation++;
        if (bytesInUse > 0) {
            pool.rolledBack(bytesInUse);
            bytesInUse = 0;
        }
        for (int i = 0; i < chunkCount; i++) {
            pool.releaseChunk(chunk(i));
        }
        chunk0 = null;
        if (chunkCount > 1) {
            Arrays.fill(moreChunks, 0, chunkCount - 1, null);
        }
        chunkCount = 0;
        offset = 0;
        handlesUsed = 0;
    }

    private ByteBuffer chunk(int i) {
        return i == 0 ? chunk0 : moreChunks[i - 1];
    }

    /** True if {@code c} is a standard pool chunk (so a cached view of it stays useful across callbacks). */
    boolean standardChunk(ByteBuffer c) {
        return c.capacity() == pool.chunkSize();
    }

    /** Rolls back and returns every chunk: the context is going to the free list (or away). */
    public void releaseAll() {
        rollback();
        pins = 0;
        transport = null;
        runningThread = null;
    }

    ContextEscapeException escape(long allocatedIn) {
        return new ContextEscapeException("arena memory of parallel context #" + id + " generation " + allocatedIn
                + " used after the context rolled back (now generation " + generation + "). Don't persist parallel"
                + " objects: arena memory lives only until its callback returns (or until the send of the data it"
                + " returned completes). Copy the data out before the callback ends with toByteArray() or"
                + " toString(charset).");
    }

    boolean checks() {
        return checks;
    }

    // ------------------------------------------------------------------ shared state

    @Override
    public void callFromMainThread(Runnable task) {
        checkThread("callFromMainThread");
        host.callFromMainThread(task);
    }

    @Override
    public <T> T callFromMainThreadAndWait(Callable<T> task, Duration timeout) throws Exception {
        checkThread("callFromMainThreadAndWait");
        return host.callFromMainThreadAndWait(task, timeout);
    }

    @Override
    public <T> T published(String name, Class<T> type) {
        checkThread("published");
        return host.published(name, type);
    }

    @Override
    public String toString() {
        return "ParallelContext#" + id + "[generation=" + generation + ", arenaBytesInUse=" + bytesInUse + "]";
    }
}

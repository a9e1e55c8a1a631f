package io.pxj.runtime.nio;

import io.pxj.runtime.Cancellable;

/**
 * A task in a loop's timer heap. Cancellation is lazy (a flag; the heap drops it when it comes due or on a
 * purge), which keeps {@link #cancel} lock-free and callable from any thread.
 *
 * <p>Threading: {@link #cancel} from any thread; everything else on the owning loop.
 */
final class Timed implements Cancellable, Comparable<Timed> {
    final EventLoop loop;
    final Runnable task;
    final long period;
    long seq;            // set by the loop on insertion
    long deadline;
    volatile boolean cancelled;

    Timed(EventLoop loop, Runnable task, long deadline, long period, long seq) {
        this.loop = loop;
        this.task = task;
        this.deadline = deadline;
        this.period = period;
        this.seq = seq;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            loop.timerCancelled();
        }
    }

    @Override
    public int compareTo(Timed o) {
        int c = Long.compare(deadline - o.deadline, 0); // overflow-safe nanoTime comparison
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}

package io.pxj.runtime.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free multi-producer multi-consumer queue (Dmitry Vyukov's array queue): no allocation per
 * operation and no ABA problem, which is why free lists of contexts and chunks use it instead of an intrusive
 * Treiber stack or a {@code ConcurrentLinkedQueue} (a node per offer).
 *
 * <p>Threading: every method is thread-safe and lock-free. {@link #offer} fails (returns false) when full.
 */
public final class MpmcArrayQueue<E> {
    private final AtomicReferenceArray<E> slots;
    private final AtomicLongArray sequences;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next position to poll
    private final AtomicLong tail = new AtomicLong(); // next position to offer

    /** @param capacity rounded up to a power of two, at least 2 */
    public MpmcArrayQueue(int capacity) {
        if (capacity < 1) { throw new IllegalArgumentException("capacity must be >= 1: " + capacity); }
        int cap = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        slots = new AtomicReferenceArray<>(cap);
        sequences = new AtomicLongArray(cap);
        for (int i = 0; i < cap; i++) { sequences.set(i, i); }
        mask = cap - 1;
    }

    public int capacity() {
        return mask + 1;
    }

    public boolean offer(E e) {
        if (e == null) { throw new NullPointerException("e"); }
        long pos = tail.get();
        for (;;) {
            int i = (int) pos & mask;
            long d = sequences.get(i) - pos;
            if (d == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    slots.lazySet(i, e);
                    sequences.set(i, pos + 1); // publishes the slot to the consumer that reads this sequence
                    return true;
                }
                pos = tail.get();
            } else if (d < 0) {
                return false; // full
            } else {
                pos = tail.get();
            }
        }
    }

    public E poll() {
        long pos = head.get();
        for (;;) {
            int i = (int) pos & mask;
            long d = sequences.get(i) - (pos + 1);
            if (d == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    E e = slots.get(i);
                    slots.lazySet(i, null);
                    sequences.set(i, pos + mask + 1); // frees the slot for the producer one lap later
                    return e;
                }
                pos = head.get();
            } else if (d < 0) {
                return null; // empty
            } else {
                pos = head.get();
            }
        }
    }

    /** Approximate size. */
    public int size() {
        long s = tail.get() - head.get();
        return (int) Math.max(0, Math.min(s, mask + 1));
    }
}

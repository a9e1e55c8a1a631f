package io.pxj.runtime.spi.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter for hot paths: a thread that owns a counter slot ({@link Owner}, e.g. an event-loop thread) adds to
 * its own cell with a plain read and an opaque write (no CAS, no lock prefix); any other thread adds to a
 * {@link LongAdder}. {@link #sum()} adds the cells and the adder. Cells are 128 bytes apart, so loops on different
 * cores do not share cache lines.
 *
 * <p>Threading: {@link #add} from any thread, {@link #sum} from any thread. A slot has one owner at a time
 * ({@link #claimSlot}/{@link #releaseSlot}); a released slot's count stays in the cell and the next owner keeps
 * adding to it, so nothing is lost. Like {@link LongAdder#sum()}, a sum taken while others add is not an atomic
 * snapshot, and it may lag a concurrent add briefly (opaque, not volatile, accesses).
 */
public final class StripedCounter {
    /**
     * A thread with a counter slot: {@link #counterSlot()} is fixed for its life, or -1 for none. The slot must come
     * from {@link #claimSlot()} (and go back with {@link #releaseSlot}): no two live threads may share one, since
     * the runtime also keeps per-slot pools that only the slot's thread touches, without locks.
     */
    public interface Owner {
        int counterSlot();
    }

    /** How many counter slots there are: a slot is in {@code [0, SLOTS)}. */
    public static final int SLOTS = 64;
    private static final int STRIDE = 16; // longs: 128 bytes between cells
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ConcurrentLinkedQueue<Integer> FREE = new ConcurrentLinkedQueue<>();

    private final long[] cells = new long[(SLOTS + 1) * STRIDE]; // the first STRIDE longs pad the array header
    private final LongAdder others = new LongAdder();

    /** A slot for a thread about to start, or -1 when all are taken (its adds then go to the shared adder). */
    public static int claimSlot() {
        Integer free = FREE.poll();
        if (free != null) { return free; }
        int s = NEXT.getAndIncrement();
        if (s < SLOTS) { return s; }
        NEXT.set(SLOTS); // stays saturated; no overflow after many claims
        return -1;
    }

    /** Gives back the slot of a thread that has ended (its last add happens before this call). */
    public static void releaseSlot(int slot) {
        if (slot >= 0) { FREE.offer(slot); }
    }

    public void increment() {
        add(1);
    }

    public void add(long n) {
        int s = currentSlot();
        if (s >= 0) {
            int i = (s + 1) * STRIDE;
            CELLS.setOpaque(cells, i, (long) CELLS.getOpaque(cells, i) + n);
            return;
        }
        others.add(n);
    }

    /**
     * The calling thread's counter slot, or -1 when it has none. Per-slot state elsewhere (pools a loop thread
     * keeps for itself) is indexed by it the same way.
     */
    public static int currentSlot() {
        if (Thread.currentThread() instanceof Owner o) {
            int s = o.counterSlot();
            return s >= 0 && s < SLOTS ? s : -1;
        }
        return -1;
    }

    public long sum() {
        long n = others.sum();
        for (int s = 1; s <= SLOTS; s++) { n += (long) CELLS.getOpaque(cells, s * STRIDE); }
        return n;
    }

    @Override
    public String toString() {
        return Long.toString(sum());
    }
}

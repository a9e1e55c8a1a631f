package io.pxj.win32;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps the {@code PVOID Context} values handed to the kernel to Java targets, so the kernel never holds Java
 * object identity (a context outlives nothing: a stale or duplicated value just finds no target).
 *
 * <p>A context is {@code kind << 56 | generation << 32 | slot}: slots are reused through a free list, and the
 * per-slot generation makes a late callback carrying an old context miss instead of reaching the slot's next
 * occupant. Lookups are lock-free (one volatile array read); register/release take a lock.
 */
final class ContextRegistry<T> {
    private static final int MAX_SLOTS = 1 << 24;

    private final int kind;
    private volatile AtomicReferenceArray<Object> slots = new AtomicReferenceArray<>(64);
    private int[] generations = new int[64];
    private int[] freeList = new int[64];
    private int freeCount;
    private int used;
    private int live;

    private record Entry(Object target, int generation) {
    }

    ContextRegistry(int kind) {
        if (kind <= 0 || kind > 0x7F) {
            throw new IllegalArgumentException("kind " + kind);
        }
        this.kind = kind;
    }

    static int kindOf(long context) {
        return (int) (context >>> 56);
    }

    /** Registers {@code target}; returns its context value (never 0). */
    synchronized long register(T target) {
        int slot;
        if (freeCount > 0) {
            slot = freeList[--freeCount];
        } else {
            if (used == slots.length()) {
                grow();
            }
            slot = used++;
        }
        int gen = generations[slot] = (generations[slot] + 1) & 0xFFFFFF;
        slots.set(slot, new Entry(target, gen));
        live++;
        return (long) kind << 56 | (long) gen << 32 | slot;
    }

    /** The target of {@code context}, or null if released, stale or of another kind. */
    @SuppressWarnings("unchecked")
    T get(long context) {
        if (kindOf(context) != kind) {
            return null;
        }
        int slot = (int) context;
        AtomicReferenceArray<Object> s = slots;
        if (slot < 0 || slot >= s.length()) {
            return null;
        }
        Entry entry = (Entry) s.get(slot);
        if (entry == null || entry.generation != (int) (context >>> 32 & 0xFFFFFF)) {
            return null;
        }
        return (T) entry.target;
    }

    /** Releases {@code context}; returns its target, or null if it was not registered (idempotent). */
    synchronized T release(long context) {
        T target = get(context);
        if (target == null) {
            return null;
        }
        int slot = (int) context;
        slots.set(slot, null);
        if (freeCount == freeList.length) {
            freeList = java.util.Arrays.copyOf(freeList, freeList.length * 2);
        }
        freeList[freeCount++] = slot;
        live--;
        return target;
    }

    synchronized int size() {
        return live;
    }

    private void grow() {
        int n = slots.length() * 2;
        if (n > MAX_SLOTS) {
            throw new IllegalStateException("too many live thread-pool objects: " + slots.length());
        }
        AtomicReferenceArray<Object> bigger = new AtomicReferenceArray<>(n);
        for (int i = 0; i < used; i++) {
            bigger.set(i, slots.get(i));
        }
        generations = java.util.Arrays.copyOf(generations, n);
        slots = bigger;
    }
}

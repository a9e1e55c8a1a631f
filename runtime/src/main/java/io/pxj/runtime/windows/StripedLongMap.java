package io.pxj.runtime.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * A concurrent {@code long -> V} map that never boxes its keys: {@value #STRIPES} stripes chosen by a mixed hash of
 * the key, each an open-addressing table (linear probing, backward-shift deletion, no tombstones) behind its own
 * {@link StampedLock}. Lookups are optimistic reads (no write to shared memory, so concurrent readers do not contend)
 * and fall back to a read lock if a writer interfered; writes take the stripe's write lock.
 *
 * <p>Null values are not allowed (an empty slot is a null value). Thread-safe.
 */
final class StripedLongMap<V> {
    static final int STRIPES = 64;
    private static final int INITIAL_CAPACITY = 16; // per stripe, a power of two

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final AtomicInteger size = new AtomicInteger();

    StripedLongMap() {
        for (int i = 0; i < STRIPES; i++) { stripes[i] = new Stripe(); }
    }

    /** murmur3's fmix64: OVERLAPPED addresses are aligned and clustered, so their low bits alone hash badly. */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private Stripe stripe(long h) {
        return stripes[(int) (h >>> 58)]; // top 6 bits: the stripe; low bits: the slot
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        long h = mix(key);
        return (V) stripe(h).get(key, h);
    }

    /** Maps {@code key} to {@code value} unless already mapped; returns the existing value, or null if added. */
    @SuppressWarnings("unchecked")
    V putIfAbsent(long key, V value) {
        if (value == null) { throw new NullPointerException("value"); }
        long h = mix(key);
        Object prev = stripe(h).putIfAbsent(key, h, value);
        if (prev == null) { size.incrementAndGet(); }
        return (V) prev;
    }

    /** Removes {@code key} only if it maps to {@code value} (identity); returns whether it did. */
    boolean remove(long key, V value) {
        long h = mix(key);
        boolean removed = stripe(h).remove(key, h, value);
        if (removed) { size.decrementAndGet(); }
        return removed;
    }

    int size() {
        return size.get();
    }

    /** Visits every value, one stripe at a time under its read lock (not an atomic snapshot of the whole map). */
    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        for (Stripe s : stripes) {
            List<Object> vs = s.values();
            for (Object v : vs) { action.accept((V) v); }
        }
    }

    private static final class Stripe {
        private final StampedLock lock = new StampedLock();
        private long[] keys = new long[INITIAL_CAPACITY];
        private Object[] vals = new Object[INITIAL_CAPACITY];
        private int count;

        Object get(long key, long h) {
            long stamp = lock.tryOptimisticRead();
            if (stamp != 0) {
                Object v = find(keys, vals, key, h);
                if (lock.validate(stamp)) { return v; }
            }
            stamp = lock.readLock();
            try {
                return find(keys, vals, key, h);
            } finally {
                lock.unlockRead(stamp);
            }
        }

        /** Probes at most the table's length; tolerates a torn view (the caller validates). */
        private static Object find(long[] ks, Object[] vs, long key, long h) {
            int n = Math.min(ks.length, vs.length);
            int mask = n - 1;
            int i = (int) h & mask;
            for (int probes = 0; probes < n; probes++) {
                Object v = vs[i];
                if (v == null) { return null; }
                if (ks[i] == key) { return v; }
                i = (i + 1) & mask;
            }
            return null;
        }

        Object putIfAbsent(long key, long h, Object value) {
            long stamp = lock.writeLock();
            try {
                int mask = vals.length - 1;
                int i = (int) h & mask;
                while (vals[i] != null) {
                    if (keys[i] == key) { return vals[i]; }
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                vals[i] = value;
                if (++count * 2 > vals.length) { grow(); } // load factor 1/2: short probe runs
                return null;
            } finally {
                lock.unlockWrite(stamp);
            }
        }

        boolean remove(long key, long h, Object value) {
            long stamp = lock.writeLock();
            try {
                int mask = vals.length - 1;
                int i = (int) h & mask;
                while (vals[i] != null) {
                    if (keys[i] == key) {
                        if (vals[i] != value) { return false; }
                        deleteAt(i);
                        count--;
                        return true;
                    }
                    i = (i + 1) & mask;
                }
                return false;
            } finally {
                lock.unlockWrite(stamp);
            }
        }

        /** Backward-shift deletion: moves later entries of the probe run into the hole, so no tombstones. */
        private void deleteAt(int hole) {
            int mask = vals.length - 1;
            int i = hole;
            for (;;) {
                i = (i + 1) & mask;
                if (vals[i] == null) { break; }
                int home = (int) mix(keys[i]) & mask;
                // Move entry i into the hole if its home is not cyclically within (hole, i].
                boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
                if (!stays) {
                    keys[hole] = keys[i];
                    vals[hole] = vals[i];
                    hole = i;
                }
            }
            vals[hole] = null;
            keys[hole] = 0;
        }

        private void grow() {
            long[] oldKeys = keys;
            Object[] oldVals = vals;
            int n = oldVals.length * 2;
            long[] ks = new long[n];
            Object[] vs = new Object[n];
            int mask = n - 1;
            for (int j = 0; j < oldVals.length; j++) {
                Object v = oldVals[j];
                if (v == null) { continue; }
                int i = (int) mix(oldKeys[j]) & mask;
                while (vs[i] != null) { i = (i + 1) & mask; }
                ks[i] = oldKeys[j];
                vs[i] = v;
            }
            keys = ks;
            vals = vs;
        }

        List<Object> values() {
            long stamp = lock.readLock();
            try {
                List<Object> out = new ArrayList<>(count);
                for (Object v : vals) { if (v != null) { out.add(v); } }
                return out;
            } finally {
                lock.unlockRead(stamp);
            }
        }
    }
}

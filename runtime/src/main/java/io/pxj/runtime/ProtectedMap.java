package io.pxj.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A map shared between parallel callbacks and the main thread under a read/write lock (PyParallel's
 * {@code async.dict()}). Keys and values must not be arena-backed ({@link PersistenceException}).
 *
 * <p>Threading: all methods are thread-safe.
 */
public final class ProtectedMap<K, V> extends Protected<Map<K, V>> {

    public ProtectedMap() {
        super(new HashMap<>());
    }

    public V get(K key) {
        return read(m -> m.get(key));
    }

    public boolean containsKey(K key) {
        return read(m -> m.containsKey(key));
    }

    public V put(K key, V value) {
        Persistence.check(key, "ProtectedMap.put key");
        Persistence.check(value, "ProtectedMap.put value");
        return modify(m -> m.put(key, value));
    }

    public V remove(K key) {
        return modify(m -> m.remove(key));
    }

    /** Atomically computes a missing value; the computed value is checked like {@link #put}. */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> fn) {
        Persistence.check(key, "ProtectedMap.computeIfAbsent key");
        return modify(m -> {
            V v = m.get(key);
            if (v == null) {
                v = fn.apply(key);
                Persistence.check(v, "ProtectedMap.computeIfAbsent value");
                if (v != null) { m.put(key, v); }
            }
            return v;
        });
    }

    /** Atomically adds {@code delta} to a long counter stored under {@code key}; returns the new value. */
    @SuppressWarnings("unchecked")
    public long increment(K key, long delta) {
        return modify(values -> {
            Map<K, Object> m = (Map<K, Object>) (Map<K, ?>) values;
            Object old = m.get(key);
            long next = (old == null ? 0L : ((Number) old).longValue()) + delta;
            m.put(key, next);
            return next;
        });
    }

    public int size() {
        return read(Map::size);
    }

    /** Visits every entry under the read lock. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        read(m -> {
            m.forEach(action);
            return null;
        });
    }

    /** A copy of the contents, safe to use without the lock. */
    public Map<K, V> snapshot() {
        return read(HashMap::new);
    }
}

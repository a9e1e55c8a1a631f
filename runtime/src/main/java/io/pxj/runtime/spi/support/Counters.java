package io.pxj.runtime.spi.support;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed table of counters keyed by an enum, one {@link LongAdder} per constant: a stats class lists what it
 * counts once, as the enum, and its getters read the table instead of each holding a field of its own.
 *
 * <p>Threading: thread-safe; {@link #increment} from any thread, without contention between threads (no
 * allocation once warmed up); {@link #sum} from any thread, not an atomic snapshot across counters.
 *
 * @param <K> the enum naming the counters
 */
public final class Counters<K extends Enum<K>> {
    private final LongAdder[] adders;

    /** A table with one counter, at zero, per constant of {@code keys}. */
    public Counters(Class<K> keys) {
        adders = new LongAdder[keys.getEnumConstants().length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
    }

    /** Adds one to {@code key}'s counter. */
    public void increment(K key) {
        adders[key.ordinal()].increment();
    }

    /** {@code key}'s count so far. */
    public long sum(K key) {
        return adders[key.ordinal()].sum();
    }
}

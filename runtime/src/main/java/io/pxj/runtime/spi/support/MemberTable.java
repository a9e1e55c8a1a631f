package io.pxj.runtime.spi.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The set of open connections (or their protocols) of a runtime or a server, for code that adds and removes one
 * per connection on a hot path and walks all of them now and then (timeouts, shutdown). A member keeps its own
 * position ({@link Member}), so membership costs one array slot and no node, and adding and removing allocate
 * nothing after warm-up: a set of this kind is on the accept and close path of every connection.
 *
 * <p>The table is striped by the adding thread's counter slot ({@link StripedCounter.Owner}, an nio event loop):
 * each loop adds to and removes from its own stripe, so loops do not contend; other threads (the windows pool)
 * spread over a few more stripes by thread id. Each stripe has its own lock (uncontended for a loop's stripe; a
 * walk's reads take no lock).
 *
 * <p>Threading: {@link #add} and {@link #remove} from any thread; a member is removed at most once per add (a
 * second {@code remove} returns false). {@link #forEach} and {@link #iterator} from any thread, weakly consistent
 * like a {@code ConcurrentHashMap} view: a member present for the whole walk is seen once, one added or removed
 * during it may or may not be. {@link #isEmpty} is exact when no add or remove runs concurrently.
 *
 * @param <T> the member type
 */
public final class MemberTable<T extends MemberTable.Member> implements Iterable<T> {
    /**
     * Something that can be in one table at a time: it keeps the position the table gave it (intrusive, so a
     * membership costs no node). Only the table reads and writes the position, under its own synchronisation.
     */
    public abstract static class Member {
        private int tablePosition = -1; // -1: in no table

        protected Member() {}

        final int tablePosition() {
            return tablePosition;
        }

        final void tablePosition(int position) {
            tablePosition = position;
        }
    }

    private static final int SHARED = StripedCounter.SLOTS; // the first stripe of threads without a counter slot
    private static final int SHARED_STRIPES = 8;
    private static final int STRIPE_BITS = 7;
    private static final int POSITION_BITS = 31 - STRIPE_BITS;
    private static final int POSITION_MASK = (1 << POSITION_BITS) - 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Member[].class);

    private final Stripe[] stripes = new Stripe[SHARED + SHARED_STRIPES];

    public MemberTable() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * One thread's part: members by position, and the free positions below {@code end}. Padded so that loops
     * updating neighbouring stripes do not share a cache line.
     */
    @SuppressWarnings("unused")
    private static final class Stripe {
        long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11;
        volatile Member[] members = new Member[16];
        volatile int size;
        int end;                    // positions in use or freed are below end
        int[] free = new int[16];
        int freeCount;
    }

    /**
     * Adds {@code m}, which must not be in a table now.
     *
     * @throws IllegalStateException if {@code m} is in a table, or a stripe is full (2^24 members)
     */
    public void add(T m) {
        if (m.tablePosition() >= 0) {
            throw new IllegalStateException("already in a table: " + m);
        }
        int s = stripeOfCaller();
        Stripe st = stripes[s];
        synchronized (st) {
            int pos;
            if (st.freeCount > 0) {
                pos = st.free[--st.freeCount];
            } else {
                pos = st.end;
                if (pos > POSITION_MASK) {
                    throw new IllegalStateException("more than " + (POSITION_MASK + 1) + " members in one stripe");
                }
                st.end++;
                if (pos == st.members.length) {
                    st.members = Arrays.copyOf(st.members, pos * 2); // volatile write publishes the copy
                }
            }
            m.tablePosition(s << POSITION_BITS | pos);
            SLOT.setRelease(st.members, pos, m);
            st.size = st.size + 1;
        }
    }

    /** Removes {@code m}; false if it was not in this table (never added, or removed already). */
    public boolean remove(T m) {
        int p = m.tablePosition();
        if (p < 0) {
            return false;
        }
        Stripe st = stripes[p >>> POSITION_BITS];
        int pos = p & POSITION_MASK;
        synchronized (st) {
            Member[] a = st.members;
            if (pos >= a.length || a[pos] != m) {
                return false;
            }
            SLOT.setRelease(a, pos, null);
            m.tablePosition(-1);
            if (st.freeCount == st.free.length) {
                st.free = Arrays.copyOf(st.free, st.free.length * 2);
            }
            st.free[st.freeCount++] = pos;
            st.size = st.size - 1;
        }
        return true;
    }

    /** True when no member is in the table. */
    public boolean isEmpty() {
        for (Stripe st : stripes) {
            if (st.size > 0) {
                return false;
            }
        }
        return true;
    }

    /** How many members are in the table (a sum over the stripes, like {@link StripedCounter#sum()}). */
    public int size() {
        int n = 0;
        for (Stripe st : stripes) {
            n += st.size;
        }
        return n;
    }

    /** Calls {@code action} for each member (weakly consistent; see the class comment). */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super T> action) {
        for (Stripe st : stripes) {
            Member[] a = st.members;
            for (int i = 0; i < a.length; i++) {
                Member m = (Member) SLOT.getAcquire(a, i);
                if (m != null) {
                    action.accept((T) m);
                }
            }
        }
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private int stripe;
            private int index;
            private T next = advance();

            @SuppressWarnings("unchecked")
            private T advance() {
                while (stripe < stripes.length) {
                    Member[] a = stripes[stripe].members;
                    while (index < a.length) {
                        Member m = (Member) SLOT.getAcquire(a, index++);
                        if (m != null) {
                            return (T) m;
                        }
                    }
                    stripe++;
                    index = 0;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public T next() {
                T m = next;
                if (m == null) {
                    throw new NoSuchElementException();
                }
                next = advance();
                return m;
            }
        };
    }

    private static int stripeOfCaller() {
        int s = StripedCounter.currentSlot();
        if (s >= 0) {
            return s;
        }
        return SHARED + (int) (Thread.currentThread().getId() & (SHARED_STRIPES - 1));
    }
}

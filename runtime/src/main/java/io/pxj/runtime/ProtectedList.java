package io.pxj.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A list shared between parallel callbacks and the main thread under a read/write lock (PyParallel's
 * {@code async.list()}). Elements must not be arena-backed ({@link PersistenceException}).
 *
 * <p>Threading: all methods are thread-safe.
 */
public final class ProtectedList<E> extends Protected<List<E>> {

    public ProtectedList() {
        super(new ArrayList<>());
    }

    public void add(E element) {
        Persistence.check(element, "ProtectedList.add");
        write(l -> l.add(element));
    }

    public E get(int index) {
        return read(l -> l.get(index));
    }

    public E set(int index, E element) {
        Persistence.check(element, "ProtectedList.set");
        return modify(l -> l.set(index, element));
    }

    public E remove(int index) {
        return modify(l -> l.remove(index));
    }

    public int size() {
        return read(List::size);
    }

    /** A copy of the contents, safe to use without the lock. */
    public List<E> snapshot() {
        return read(ArrayList::new);
    }
}

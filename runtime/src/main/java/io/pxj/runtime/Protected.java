package io.pxj.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A value shared between parallel callbacks and the main thread, reached only through a read/write lock
 * (PyParallel's {@code protect()}). The value itself must not be arena-backed: storing one throws
 * {@link PersistenceException}.
 *
 * <p>Threading: all methods are thread-safe. Readers run concurrently; writers exclusively. Functions passed
 * in must not keep references to the value beyond the call.
 *
 * @param <T> the protected value's type
 */
public class Protected<T> {
    /** The lock; subclasses (protected containers) share it. */
    protected final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private T value;

    protected Protected(T value) {
        this.value = value;
    }

    /** Protects {@code value}. */
    public static <T> Protected<T> of(T value) {
        Persistence.check(value, "Protected.of");
        return new Protected<>(value);
    }

    /** The raw value, for subclasses that already hold the lock. */
    protected final T value() {
        return value;
    }

    /** Reads under the read lock. */
    public <R> R read(Function<? super T, ? extends R> reader) {
        Objects.requireNonNull(reader, "reader");
        lock.readLock().lock();
        try {
            return reader.apply(value);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Mutates the value in place under the write lock. */
    public void write(Consumer<? super T> writer) {
        Objects.requireNonNull(writer, "writer");
        lock.writeLock().lock();
        try {
            writer.accept(value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Applies {@code change} to the value under the write lock and returns its result: the one place protected
     * containers change their contents in place.
     */
    protected final <R> R modify(Function<? super T, ? extends R> change) {
        lock.writeLock().lock();
        try {
            return change.apply(value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the value under the write lock with what {@code update} returns; returns the new value. */
    public T update(UnaryOperator<T> update) {
        Objects.requireNonNull(update, "update");
        lock.writeLock().lock();
        try {
            T next = update.apply(value);
            Persistence.check(next, "Protected.update");
            value = next;
            return next;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the value. */
    public void set(T newValue) {
        Persistence.check(newValue, "Protected.set");
        lock.writeLock().lock();
        try {
            value = newValue;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Reads if the read lock is had within {@code timeout}; otherwise throws {@link WaitTimeoutException}. */
    public <R> R tryRead(Duration timeout, Function<? super T, ? extends R> reader) throws InterruptedException {
        Objects.requireNonNull(reader, "reader");
        if (!lock.readLock().tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new WaitTimeoutException("read lock not acquired within " + timeout);
        }
        try {
            return reader.apply(value);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writes if the write lock is had within {@code timeout}; otherwise throws {@link WaitTimeoutException}. */
    public void tryWrite(Duration timeout, Consumer<? super T> writer) throws InterruptedException {
        Objects.requireNonNull(writer, "writer");
        if (!lock.writeLock().tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new WaitTimeoutException("write lock not acquired within " + timeout);
        }
        try {
            writer.accept(value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Holds the read lock until the returned guard is closed (for try-with-resources). */
    public Guard readLock() {
        lock.readLock().lock();
        return () -> lock.readLock().unlock();
    }

    /** Holds the write lock until the returned guard is closed (for try-with-resources). */
    public Guard writeLock() {
        lock.writeLock().lock();
        return () -> lock.writeLock().unlock();
    }

    /** A held lock; closing releases it. */
    @FunctionalInterface
    public interface Guard extends AutoCloseable {
        @Override
        void close();
    }
}

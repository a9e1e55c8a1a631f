package io.pxj.runtime.spi;

/** A manual-reset event a backend can wait on ({@link Backend#waitFor}); a kernel event on Windows. */
public interface BackendEvent extends AutoCloseable {
    void set();

    void reset();

    boolean isSet();

    /** Releases the event; idempotent. */
    @Override
    void close();
}

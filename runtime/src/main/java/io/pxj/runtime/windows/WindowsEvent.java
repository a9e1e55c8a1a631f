package io.pxj.runtime.windows;

import io.pxj.runtime.spi.BackendEvent;
import io.pxj.win32.WindowsApi;
import io.pxj.win32.WindowsException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A manual-reset kernel event (CreateEventW) that pool waits ({@link EventWait}) can wait on. The Java flag is
 * authoritative for {@link #isSet()}: the handle is private to this object, so only {@link #set}/{@link #reset}
 * change it, under this object's lock (the flag and the kernel state never disagree).
 *
 * <p>Thread-safe; {@link #close()} is idempotent (CloseHandle once).
 */
final class WindowsEvent implements BackendEvent {
    private final WindowsApi api;
    final long handle;
    private volatile boolean set;
    private final AtomicBoolean closed = new AtomicBoolean();

    WindowsEvent(WindowsApi api) throws WindowsException {
        this.api = api;
        this.handle = api.createEvent(true, false);
    }

    @Override
    public synchronized void set() {
        checkOpen();
        try {
            api.setEvent(handle);
            set = true;
        } catch (WindowsException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void reset() {
        checkOpen();
        try {
            api.resetEvent(handle);
            set = false;
        } catch (WindowsException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isSet() {
        return set;
    }

    boolean isClosed() {
        return closed.get();
    }

    private void checkOpen() {
        if (closed.get()) { throw new IllegalStateException("event closed"); }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                api.closeHandle(handle);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("CloseHandle(event) failed: {}", e.getMessage());
            }
        }
    }
}

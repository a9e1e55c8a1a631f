package io.pxj.runtime.internal;

import io.pxj.runtime.PxEvent;
import io.pxj.runtime.spi.BackendEvent;

/**
 * A {@link PxEvent} over the backend's event (a kernel event on Windows).
 *
 * <p>Threading: thread-safe (delegates to the backend event, which is).
 */
final class PxEventImpl implements PxEvent {
    final PxCore core;
    final BackendEvent backendEvent;

    PxEventImpl(PxCore core, BackendEvent backendEvent) {
        this.core = core;
        this.backendEvent = backendEvent;
    }

    @Override
    public void set() {
        backendEvent.set();
    }

    @Override
    public void reset() {
        backendEvent.reset();
    }

    @Override
    public boolean isSet() {
        return backendEvent.isSet();
    }

    @Override
    public void close() {
        backendEvent.close();
    }
}

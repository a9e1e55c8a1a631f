package io.pxj.runtime;

/** An arena allocation would pass the context's hard limit (PyParallel's AsyncIOBuffersExhaustedError). */
public class ArenaExhaustedException extends PxException {
    private static final long serialVersionUID = 1L;

    public ArenaExhaustedException(String message) {
        super(message);
    }
}

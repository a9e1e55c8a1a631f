package io.pxj.runtime;

/**
 * A main-thread-only call was made from parallel code, or a parallel-only call from the main thread (or from a
 * thread that is not running the context's callback).
 */
public class ProtectionException extends PxException {
    private static final long serialVersionUID = 1L;

    public ProtectionException(String message) {
        super(message);
    }
}

package io.pxj.runtime;

/** Base of PxJ's unchecked exception family: every rule the runtime enforces fails with a subclass. */
public class PxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PxException(String message) {
        super(message);
    }

    public PxException(String message, Throwable cause) {
        super(message, cause);
    }
}

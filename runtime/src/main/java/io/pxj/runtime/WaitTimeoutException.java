package io.pxj.runtime;

/** A {@code submitWait} or {@code callFromMainThreadAndWait} did not complete within its timeout. */
public class WaitTimeoutException extends PxException {
    private static final long serialVersionUID = 1L;

    public WaitTimeoutException(String message) {
        super(message);
    }
}

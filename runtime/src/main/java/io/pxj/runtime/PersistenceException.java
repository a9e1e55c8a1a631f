package io.pxj.runtime;

/** An arena-backed (parallel) object was about to be stored into a {@link Protected} container or published. */
public class PersistenceException extends PxException {
    private static final long serialVersionUID = 1L;

    public PersistenceException(String message) {
        super(message);
    }
}

package io.pxj.runtime;

/**
 * Arena memory was used after its parallel context rolled back ("don't persist parallel objects").
 * The message says which context and generation the object came from and how to copy data out.
 */
public class ContextEscapeException extends PxException {
    private static final long serialVersionUID = 1L;

    public ContextEscapeException(String message) {
        super(message);
    }
}

package io.pxj.demo.integration;

/**
 * A part of PxJ this command needs is not in this build yet (the runtime core, {@code io.pxj.http} or
 * {@code io.pxj.services}). The command fails with this message and exit code {@link #EXIT_CODE} instead of
 * pretending to work.
 */
public final class IntegrationPendingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a command that cannot run because a part of PxJ is missing from this build. */
    public static final int EXIT_CODE = 3;

    private final String component;

    public IntegrationPendingException(String component, String detail) {
        super(component + " is not available in this build: " + detail);
        this.component = component;
    }

    /** The missing part, e.g. "the PxJ runtime core". */
    public String component() {
        return component;
    }
}

package io.pxj.runtime.spi;

/**
 * Discovers a backend ({@link java.util.ServiceLoader} service). The runtime picks the available provider with
 * the highest {@link #priority()}, unless {@code -Dpxj.backend} (or the builder) names one.
 *
 * <p>Threading: methods may be called from any thread; {@link #isAvailable()} must be cheap after the first call.
 */
public interface BackendProvider {
    /** Short name used by {@code -Dpxj.backend}: "windows", "epoll", "nio". */
    String name();

    /** Preference when several are available (windows 100, nio 10, epoll 5). */
    int priority();

    /** Whether this backend can run here; must not throw. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false (null when available). */
    String unavailabilityCause();

    /** Creates and starts a backend. */
    Backend create(BackendConfig config);
}

package io.pxj.demo.integration;

import io.pxj.runtime.Px;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates the demo's {@link Px} runtime and tells whether the runtime core is present.
 *
 * <p>INTEGRATION POINT (runtime core): while {@code Px} is the API skeleton, its builder throws
 * {@link UnsupportedOperationException}; that is turned into an {@link IntegrationPendingException} with a clear
 * message. Nothing here needs to change when the core lands.
 */
public final class Runtimes {
    static final String COMPONENT = "the PxJ runtime core (io.pxj.runtime.Px)";

    private Runtimes() {}

    /** Builds a runtime configured by {@code config}; the calling thread becomes its main thread. */
    public static Px create(Consumer<Px.Builder> config) {
        try {
            Px.Builder builder = Px.builder();
            config.accept(builder);
            return builder.build();
        } catch (UnsupportedOperationException e) {
            throw pending(e);
        }
    }

    /** Empty if a runtime can be built and closed; otherwise why not. */
    public static Optional<String> missingReason() {
        try {
            Px px = create(b -> b.threads(1));
            px.close(Duration.ofSeconds(5));
            return Optional.empty();
        } catch (IntegrationPendingException e) {
            return Optional.of(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("building a runtime failed: " + e);
        }
    }

    /** The exception to throw when a runtime call is not implemented in this build. */
    public static IntegrationPendingException pending(UnsupportedOperationException e) {
        String detail = e.getMessage() == null ? "a Px method threw UnsupportedOperationException"
                : "a Px method threw UnsupportedOperationException(\"" + e.getMessage() + "\")";
        return new IntegrationPendingException(COMPONENT,
                detail + "; this command runs once the runtime core is merged");
    }

    /** Closes {@code px} with {@code timeout}, ignoring a skeleton runtime. */
    public static boolean close(Px px, Duration timeout) {
        try {
            return px.close(timeout);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}

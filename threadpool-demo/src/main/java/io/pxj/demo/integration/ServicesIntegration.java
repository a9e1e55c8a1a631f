package io.pxj.demo.integration;

import io.pxj.demo.echo.EchoService;
import io.pxj.runtime.ProtocolFactory;

import java.util.Optional;

/**
 * The seam between the {@code echo} command and {@code io.pxj.services} (echo, echo-upper, lines, discard,
 * daytime, chargen protocols), which is being built in parallel and is not in this branch yet.
 *
 * <p><b>INTEGRATION POINT (io.pxj.services).</b> When io.pxj.services is merged:
 * <ol>
 *   <li>set {@link #WIRED} to {@code true};</li>
 *   <li>make {@link #factory(EchoService)} return the module's {@link ProtocolFactory} for each service
 *       (e.g. {@code case ECHO -> EchoProtocol::new; case UPPER -> EchoUpperProtocol::new; ...});</li>
 *   <li>the end-to-end test {@code EchoDemoIT} then runs instead of being skipped.</li>
 * </ol>
 */
public final class ServicesIntegration {
    static final String COMPONENT = "io.pxj.services (echo-family protocols)";

    /** True once {@link #factory} returns real protocols. */
    static final boolean WIRED = false;

    private ServicesIntegration() {}

    /** Empty if the echo-family services are wired in; otherwise why not. */
    public static Optional<String> missingReason() {
        return WIRED ? Optional.empty()
                : Optional.of(COMPONENT + " is not merged into this build yet"
                        + " (integration point: io.pxj.demo.integration.ServicesIntegration#factory)");
    }

    /**
     * The protocol factory serving {@code service}.
     *
     * @throws IntegrationPendingException until io.pxj.services is merged
     */
    public static ProtocolFactory factory(EchoService service) {
        // INTEGRATION POINT (io.pxj.services): map each EchoService to the module's protocol factory here.
        throw new IntegrationPendingException(COMPONENT,
                "the '" + service.cliName() + "' service lives in io.pxj.services, which is not merged into this"
                        + " build yet (integration point: io.pxj.demo.integration.ServicesIntegration#factory)");
    }
}

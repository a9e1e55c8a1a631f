package io.pxj.demo.integration;

import io.pxj.demo.http.DemoRoute;
import io.pxj.demo.http.RequestObserver;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The seam between the {@code http} command and {@code io.pxj.http} (the HTTP/1.1 server on the Protocol API),
 * which is being built in parallel and is not in this branch yet. Everything the demo serves is defined without
 * it, as {@link DemoRoute}s (see {@code DemoHttpApp}); this class only has to mount them.
 *
 * <p><b>INTEGRATION POINT (io.pxj.http).</b> When io.pxj.http is merged:
 * <ol>
 *   <li>set {@link #WIRED} to {@code true};</li>
 *   <li>implement {@link #start}: build an {@code HttpServer} on {@code px} bound to {@code settings.bind()};
 *       mount each route ({@code route.prefix()} ? prefix route : exact route) with a handler that builds a
 *       {@code DemoRequest(method, decodedPath, remainder-after-prefix, rawQuery, ctx::published)} (or
 *       {@code px::published}, which is thread-safe, if the request does not expose its context) from the
 *       {@code HttpRequest}, calls {@code route.handler().handle(..)} and copies the {@code DemoResponse}
 *       (status, Content-Type, Cache-Control; body {@code byte[]} or {@code FileRegion}) into the
 *       {@code HttpResponse}; set the static root to {@code settings.staticRoot()} when not null (exact and
 *       prefix routes win over it); register a {@code RequestListener} that calls
 *       {@code observer.onRequest(method, path, status, nanos)}; return the runtime {@link Server};</li>
 *   <li>the end-to-end tests {@code HttpDemoIT} and {@code LoadDemoIT} then run instead of being skipped.</li>
 * </ol>
 */
public final class HttpIntegration {
    static final String COMPONENT = "io.pxj.http (HTTP/1.1 server)";

    /** True once {@link #start} mounts the routes on a real io.pxj.http server. */
    static final boolean WIRED = false;

    private HttpIntegration() {}

    /** Where and what to serve besides the routes. */
    public record Settings(InetSocketAddress bind, Path staticRoot) {}

    /** Empty if io.pxj.http is wired in; otherwise why not. */
    public static Optional<String> missingReason() {
        return WIRED ? Optional.empty()
                : Optional.of(COMPONENT + " is not merged into this build yet"
                        + " (integration point: io.pxj.demo.integration.HttpIntegration#start)");
    }

    /** Fails with the same clear message as {@link #start} while io.pxj.http is missing. */
    public static void requireAvailable() {
        if (!WIRED) throw pending();
    }

    private static IntegrationPendingException pending() {
        return new IntegrationPendingException(COMPONENT,
                "the HTTP server lives in io.pxj.http, which is not merged into this build yet"
                        + " (integration point: io.pxj.demo.integration.HttpIntegration#start)");
    }

    /**
     * Starts an io.pxj.http server on {@code px} serving {@code routes}, reporting every request to
     * {@code observer}. Main thread only.
     *
     * @throws IntegrationPendingException until io.pxj.http is merged
     */
    public static Server start(Px px, Settings settings, List<DemoRoute> routes, RequestObserver observer) {
        // INTEGRATION POINT (io.pxj.http): mount the routes on io.pxj.http's HttpServer here (see class comment).
        throw pending();
    }
}

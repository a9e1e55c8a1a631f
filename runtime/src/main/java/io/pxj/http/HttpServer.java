package io.pxj.http;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolFactory;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.spi.support.MemberTable;
import io.pxj.runtime.tls.TlsConfig;
import io.pxj.runtime.tls.TlsContexts;
import io.pxj.runtime.Px;
import io.pxj.runtime.PxTimer;
import io.pxj.runtime.Server;
import io.pxj.runtime.ServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * An HTTP/1.1 server on PxJ's Protocol API: keep-alive and pipelining, GET/HEAD/POST (and PUT, DELETE,
 * OPTIONS, PATCH routes), Content-Length and chunked bodies, exact and longest-prefix routing, handlers whose
 * return value is the response, static files sent zero-copy, and the limits of {@link HttpLimits}.
 *
 * <pre>{@code
 * HttpServer http = HttpServer.builder()
 *         .route("/plaintext", TechEmpower.plaintext())
 *         .route("/json", TechEmpower.json())
 *         .route("/hello", (req, res) -> "<p>Hello, " + StaticFiles.escapeHtml(req.queryParameter("name")) + "</p>")
 *         .route("/echo", (req, res) -> req.bodyBytes(), HttpMethod.POST)
 *         .staticFiles("/", Path.of("www"))
 *         .limits(HttpLimits.builder().maxBodyBytes(64 * 1024).build())
 *         .listener((req, status, handlerNanos) -> handlerHistogram.recordValue(handlerNanos))
 *         .build();
 * try (Px px = Px.builder().build()) {
 *     HttpServer.Running running = http.start(px, new InetSocketAddress("127.0.0.1", 8080));
 *     px.run();
 * }
 * }</pre>
 *
 * <h2>Error statuses</h2>
 * Framing and limit failures (400, 408, 413, 414, 431, 501, 505, 503 when over {@link HttpLimits#maxConnections()}
 * or under memory pressure) and handler crashes (500) carry {@code Connection: close} and end the connection.
 * 404, 405 (with {@code Allow}), 416 and {@link HttpException}s thrown by handlers keep a keep-alive connection
 * open, as nginx does: the request was framed correctly, so the next one can be read safely.
 *
 * <h2>Health, readiness and drain</h2>
 * {@link Builder#healthRoutes(String, String)} mounts a liveness route (200 while the main loop and the pool
 * answered within {@link Builder#livenessBound(Duration)}, else 503) and a readiness route (503 before the server
 * listens, while it drains, and under memory pressure). {@link Running#close(Duration)} first turns readiness to
 * 503 and keeps serving for {@link Builder#drainDelay(Duration)}, so a load balancer's checks take the instance out
 * of rotation before it stops accepting.
 *
 * <h2>Threading</h2>
 * The built server is immutable apart from its counters and connection registry and is thread-safe; its
 * handlers and listener are called concurrently from pool threads (see {@link HttpHandler}). Each connection
 * gets its own protocol instance from {@link #protocolFactory()}.
 */
public final class HttpServer {
    /** Default for {@link Builder#livenessBound(Duration)}: five maintenance ticks. */
    /** The ALPN name of HTTP/1.1, what an HTTPS server offers. */
    public static final String ALPN_HTTP_1_1 = "http/1.1";

    public static final Duration DEFAULT_LIVENESS_BOUND = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Router router;
    final HttpLimits limits;
    private final RequestListener listener;
    private final ProtocolOptions protocolOptions;
    /** The listening options unless the builder is given others: {@link ServerOptions#DEFAULT} deferring accepts. */
    static final ServerOptions DEFAULT_SERVER_OPTIONS = ServerOptions.DEFAULT.toBuilder().deferAccept(true).build();

    private final ServerOptions serverOptions;
    private final HttpDate date;
    final HttpServerStats stats = new HttpServerStats();
    final HttpProtocol.ExchangePool exchanges;
    // Derived from the limits once, for the connections (request line + CRLF + header section + up to 8 leading
    // empty-line bytes: a head longer than maxHeadBytes has failed).
    final int maxHeadBytes;
    final long requestTimeoutNanos, idleTimeoutNanos, bodyReadTimeoutNanos;
    private final MemberTable<HttpProtocol> connections = new MemberTable<>();
    private final AtomicInteger timers = new AtomicInteger();
    private volatile BooleanSupplier memoryPressure = () -> false;
    private volatile boolean draining;
    /** Set by {@link Running#close(Duration)} before the drain delay: readiness answers 503 from then on. */
    private volatile boolean notReady;
    private final Duration drainDelay;
    private final HealthChecks health;
    private final LongSupplier nanoClock;
    private final boolean systemClock;

    private HttpServer(Builder b) {
        this.router = b.router.build();
        this.limits = b.limits;
        this.exchanges = new HttpProtocol.ExchangePool(limits);
        this.maxHeadBytes = limits.maxRequestLineBytes() + 2 + limits.maxHeaderBytes() + 8;
        this.requestTimeoutNanos = limits.requestTimeout().toNanos();
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
        this.bodyReadTimeoutNanos = limits.bodyReadTimeout().toNanos();
        this.listener = b.accessLog == null ? b.listener : both(b.listener, b.accessLog);
        this.protocolOptions = b.tls == null ? b.protocolOptions : b.protocolOptions.toBuilder().tls(b.tls).build();
        this.serverOptions = b.serverOptions;
        this.date = b.date;
        this.nanoClock = b.nanoClock;
        this.systemClock = b.systemClock;
        this.drainDelay = b.drainDelay;
        this.health = b.health;
        health.attach(this, b.livenessBound);
    }

    private static RequestListener both(RequestListener first, RequestListener second) {
        if (first == null) {
            return second;
        }
        return new RequestListener() {
            @Override
            public void requestCompleted(HttpRequest request, int status, long handlerNanos) {
                first.requestCompleted(request, status, handlerNanos);
                second.requestCompleted(request, status, handlerNanos);
            }

            @Override
            public void responseSent(int status, long serverNanos) {
                first.responseSent(status, serverNanos);
                second.responseSent(status, serverNanos);
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A factory of per-connection protocols, for {@code px.server(address, factory)}. */
    public ProtocolFactory protocolFactory() {
        return this::newProtocol;
    }

    /** A protocol for one new connection. */
    public Protocol newProtocol() {
        return new HttpProtocol(this);
    }

    public HttpServerStats stats() {
        return stats;
    }

    public HttpLimits limits() {
        return limits;
    }

    public HttpDate date() {
        return date;
    }

    /**
     * Starts listening on {@code address} (port 0 picks one) and starts the once-a-second maintenance timer
     * (Date refresh, request and idle timeouts). {@code px.underMemoryPressure()} makes new connections get 503
     * (the runtime's own refusal under memory pressure is turned off for this server: it would drop them unanswered).
     * By default accepts are deferred until the request's first bytes arrive ({@link ServerOptions#deferAccept()}),
     * as HTTP clients always speak first.
     *
     * @return the running server: bound address, counters, {@link Running#close()}
     */
    public Running start(Px px, InetSocketAddress address) {
        Objects.requireNonNull(px, "px");
        memoryPressure = px::underMemoryPressure;
        // Under memory pressure the protocol answers 503 itself, so the runtime must not drop the connection first.
        Server server = px.server(address, protocolFactory(),
                serverOptions.toBuilder().refuseUnderMemoryPressure(false).build());
        Cancellable counted = px.countDirectMemory(router::staticCacheBytes); // in stats and the soft limit
        PxTimer<Void> timer;
        try {
            // First tick on the next second boundary, so the cached Date changes when the wall clock does.
            long toNextSecond = 1000 - Math.floorMod(System.currentTimeMillis(), 1000L);
            health.started();
            timer = px.submitTimer(Duration.ofMillis(toNextSecond), Duration.ofSeconds(1), ctx -> {
                maintenance();
                // Liveness: this tick proves the pool runs; the task proves the main loop does.
                health.poolBeat();
                ctx.callFromMainThread(health.mainBeatTask);
                return null;
            });
        } catch (RuntimeException e) {
            counted.cancel();
            server.close();
            throw e;
        }
        if (timers.incrementAndGet() > 0) { date.timerDriven(true); }
        return new Running(server, timer, counted);
    }

    /**
     * The maintenance tick (the timer started by {@link #start} calls it every second): refreshes the Date
     * and enforces request and idle timeouts. Callable from any thread, for servers wired up by hand.
     */
    public void maintenance() {
        date.refresh();
        long now = nanoClock.getAsLong();
        for (HttpProtocol c : connections) { c.checkTimeouts(now); }
    }

    /**
     * Why readiness is 503 now, or null when ready: "not listening" (not started, or every started server
     * closed), "draining" ({@link Running#close(Duration)} began), "memory pressure". Thread-safe.
     */
    public String notReadyReason() {
        if (notReady || draining) {
            return "draining";
        }
        if (timers.get() <= 0) {
            return "not listening";
        }
        if (underMemoryPressure()) {
            return "memory pressure";
        }
        return null;
    }

    // ---- used by HttpProtocol ----

    Router router() {
        return router;
    }

    RequestListener listener() {
        return listener;
    }

    ProtocolOptions protocolOptions() {
        return protocolOptions;
    }

    /** The server's TLS configuration (its {@link TlsConfig#stats()} count the handshakes), or null for HTTP. */
    public TlsConfig tls() {
        return protocolOptions.tls();
    }

    boolean underMemoryPressure() {
        return memoryPressure.getAsBoolean();
    }

    void memoryPressure(BooleanSupplier supplier) {
        memoryPressure = supplier;
    }

    boolean draining() {
        return draining;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** True unless a test clock is set: then the runtime's read-completion times serve as "now" for deadlines. */
    boolean systemClock() {
        return systemClock;
    }

    void register(HttpProtocol p) {
        connections.add(p);
    }

    void unregister(HttpProtocol p) {
        connections.remove(p);
    }

    /** A started server. Threading: thread-safe. */
    public final class Running implements AutoCloseable {
        private final Server server;
        private final PxTimer<Void> timer;
        private final Cancellable counted;
        private final AtomicInteger closed = new AtomicInteger();

        private Running(Server server, PxTimer<Void> timer, Cancellable counted) {
            this.server = server;
            this.timer = timer;
            this.counted = counted;
        }

        /** The bound address (with the real port when 0 was asked for). */
        public InetSocketAddress localAddress() {
            return server.localAddress();
        }

        public HttpServerStats stats() {
            return stats;
        }

        /** The runtime's listening server (connection counters). */
        public Server server() {
            return server;
        }

        /**
         * Graceful shutdown: readiness answers 503 at once while everything is served as before for the
         * builder's {@link Builder#drainDelay(Duration) drain delay} (the calling thread sleeps through it: call
         * this off the main thread when the delay is long, or main-thread tasks wait); then stops accepting;
         * connections between requests are closed now; a request in progress (being received, handled or answered)
         * is finished, its response says {@code Connection: close}, and then its connection closes. After
         * {@code timeout} (counted after the drain delay) whatever is left is closed as by {@link #close()}.
         * Draining applies to every connection of this {@link HttpServer} (meant for its last running server).
         * Each step is logged at INFO.
         *
         * @return true if every connection had finished within {@code timeout}
         */
        public boolean close(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be >= 0: " + timeout);
            }
            notReady = true;
            if (!drainDelay.isZero()) {
                log.info("drain: readiness now 503; serving {} for {} ms more so load balancers notice",
                        localAddress(), drainDelay.toMillis());
                try {
                    Thread.sleep(drainDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // stop waiting, drain now
                }
            }
            log.info("drain: {} stops accepting; finishing {} open connection(s) (up to {} ms)",
                    localAddress(), server.activeConnections(), timeout.toMillis());
            long started = System.nanoTime();
            // First: responses from now on say Connection: close. stopAccepting may wait (up to 2 s) for the
            // listener's event loop, which may be busy with the very requests being finished.
            draining = true; // before looking at the connections: see HttpProtocol.dataReceived
            server.stopAccepting();
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean done;
            while (!(done = server.activeConnections() == 0) && System.nanoTime() - deadline < 0) {
                for (HttpProtocol c : connections) { c.drain(); }
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
            long left = server.activeConnections();
            close();
            if (done) {
                log.info("drain: {} finished every connection in {} ms", localAddress(),
                        (System.nanoTime() - started) / 1_000_000L);
            } else {
                log.warn("drain: {} closed {} connection(s) still open after {} ms", localAddress(), left,
                        timeout.toMillis());
            }
            return done;
        }

        /** Stops the timer and the listener; open connections are closed gracefully. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(0, 1)) { return; }
            timer.cancel();
            counted.cancel();
            if (timers.decrementAndGet() == 0) { date.timerDriven(false); }
            server.close();
        }
    }

    /** Builder. Not thread-safe. */
    public static final class Builder {
        private final Router.Builder router = new Router.Builder();
        private HttpLimits limits = HttpLimits.DEFAULT;
        private RequestListener listener;
        private ProtocolOptions protocolOptions = ProtocolOptions.DEFAULT;
        private ServerOptions serverOptions = DEFAULT_SERVER_OPTIONS;
        private HttpDate date = new HttpDate();
        private LongSupplier nanoClock = System::nanoTime;
        private boolean systemClock = true;
        private Duration drainDelay = Duration.ZERO;
        private Duration livenessBound = DEFAULT_LIVENESS_BOUND;
        private AccessLog accessLog;
        private TlsConfig tls;
        private final HealthChecks health = new HealthChecks();

        private Builder() {}

        /**
         * Mounts the health routes (GET and HEAD; JSON bodies, {@code Cache-Control: no-store}):
         * {@code livenessPath} answers 200 while the main loop and the pool ran within the liveness bound, 503
         * otherwise (the event loop that answers is alive by answering); {@code readinessPath} answers 200 when
         * the server listens and is neither draining nor under memory pressure, else 503 with the reason.
         * Typical: {@code healthRoutes("/healthz", "/readyz")}.
         */
        public Builder healthRoutes(String livenessPath, String readinessPath) {
            Objects.requireNonNull(livenessPath, "livenessPath");
            Objects.requireNonNull(readinessPath, "readinessPath");
            if (livenessPath.equals(readinessPath)) {
                throw new IllegalArgumentException("liveness and readiness need different paths: " + livenessPath);
            }
            route(livenessPath, health::liveness);
            return route(readinessPath, health::readiness);
        }

        /** How stale a heartbeat may be before liveness answers 503; default 5 s; at least 1 s (the tick). */
        public Builder livenessBound(Duration bound) {
            Objects.requireNonNull(bound, "livenessBound");
            if (bound.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("livenessBound must be >= 1 s (the heartbeat's period): " + bound);
            }
            this.livenessBound = bound;
            return this;
        }

        /**
         * How long {@link Running#close(Duration)} keeps serving after readiness turns 503, before it stops
         * accepting; default 0. Set it to a load balancer's check interval times its fall count, plus margin.
         */
        public Builder drainDelay(Duration delay) {
            Objects.requireNonNull(delay, "drainDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("drainDelay must be >= 0: " + delay);
            }
            this.drainDelay = delay;
            return this;
        }

        /** Logs every response through {@code log} (after the {@link #listener} if both are set); default none. */
        public Builder accessLog(AccessLog log) {
            this.accessLog = log;
            return this;
        }

        /** Exact route for GET (and so HEAD). */
        public Builder route(String path, HttpHandler handler) {
            return route(path, handler, HttpMethod.GET);
        }

        /** Exact route for {@code methods} (GET implies HEAD unless HEAD has its own handler). */
        public Builder route(String path, HttpHandler handler, HttpMethod... methods) {
            router.add(path, false, handler, methods);
            return this;
        }

        /** Prefix route for GET: matches {@code prefix} and every path below it on a segment boundary. */
        public Builder prefix(String prefix, HttpHandler handler) {
            return prefix(prefix, handler, HttpMethod.GET);
        }

        public Builder prefix(String prefix, HttpHandler handler, HttpMethod... methods) {
            router.add(prefix, true, handler, methods);
            return this;
        }

        /** Serves {@code root} below {@code prefix} ({@code "/"} for everything not routed otherwise). */
        public Builder staticFiles(String prefix, Path root) {
            return prefix(prefix, new StaticFiles(root), HttpMethod.GET);
        }

        /** {@code staticFiles("/", root)}. */
        public Builder staticRoot(Path root) {
            return staticFiles("/", root);
        }

        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Hears every response: handler time when encoded, server time when sent; see {@link RequestListener}. */
        public Builder listener(RequestListener listener) {
            this.listener = listener;
            return this;
        }

        /** Per-connection runtime options (receive buffer size, I/O mode...). Lines mode is refused. */
        public Builder protocolOptions(ProtocolOptions options) {
            if (options.linesMode()) { throw new IllegalArgumentException("HTTP needs bytes mode, not lines mode"); }
            this.protocolOptions = options;
            return this;
        }

        /**
         * Serves HTTPS with the keys of {@code context}: TLS 1.3 and 1.2, ALPN {@code http/1.1}, the default
         * handshake timeout. {@link TlsContexts} builds contexts from a PKCS#12 file, the Windows certificate
         * store, or a self-signed certificate.
         */
        public Builder tls(SSLContext context) {
            return tls(TlsConfig.server(Objects.requireNonNull(context, "context")).applicationProtocols(ALPN_HTTP_1_1)
                    .build());
        }

        /** Serves HTTPS with {@code config} (a server-side configuration); null serves plain HTTP. */
        public Builder tls(TlsConfig config) {
            if (config != null && config.isClient()) {
                throw new IllegalArgumentException("HttpServer needs a server-side TlsConfig, got " + config);
            }
            this.tls = config;
            return this;
        }

        /**
         * Listening-socket options (backlog, hard connection limit, deferred accept). Default:
         * {@link ServerOptions#DEFAULT} with {@link ServerOptions#deferAccept()} on, as HTTP clients speak first;
         * options built from {@link ServerOptions#builder()} have it off unless set. Refusal under memory pressure
         * is always off for this server (it answers 503 itself).
         */
        public Builder serverOptions(ServerOptions options) {
            this.serverOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Clocks, for tests: epoch millis for the Date header, nanos for timeouts. */
        Builder clocks(LongSupplier millis, LongSupplier nanos) {
            this.date = new HttpDate(millis);
            this.nanoClock = nanos;
            this.systemClock = false;
            return this;
        }

        public HttpServer build() {
            return new HttpServer(this);
        }
    }
}

package io.pxj.demo.http;

import io.pxj.demo.wiki.WikiIndex;
import io.pxj.http.AccessLog;
import io.pxj.http.HttpRequest;
import io.pxj.http.HttpResponse;
import io.pxj.http.HttpServer;
import io.pxj.http.RequestListener;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.PxStats;
import io.pxj.runtime.tls.TlsStats;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Everything the {@code http} command serves, as an io.pxj.http {@link HttpServer}:
 * <ul>
 *   <li>{@code /} the live dashboard, {@code /dashboard/*} its CSS and JS (from the jar);</li>
 *   <li>{@code /plaintext}, {@code /json}: io.pxj.http's allocation-free {@link TechEmpower} handlers;</li>
 *   <li>{@code /stats}: JSON of {@code px.stats()}, request counters, latency percentiles, index facts;</li>
 *   <li>{@code /healthz}, {@code /readyz}: liveness and readiness (io.pxj.http's health routes);</li>
 *   <li>{@code /metrics}: the Prometheus text format ({@link PrometheusMetrics});</li>
 *   <li>{@code /lookup/<prefix>[?limit=N]}: JSON list of up to N keys starting with prefix, with their ranges;</li>
 *   <li>{@code /record/<key>}: the key's record, sent as a ranged zero-copy file send;</li>
 *   <li>everything else: static files from {@code --root} (ranges, conditional requests), if given; else 404.</li>
 * </ul>
 * Handlers read the {@link WikiIndex} the main thread published through their request's parallel context
 * ({@code req.context().published(..)}); they never copy it. {@link LiveMetrics} hears every response.
 *
 * <p>Threading: handlers run on pool threads concurrently; the app holds only immutable or thread-safe state.
 */
public final class DemoHttpApp {
    public static final int DEFAULT_LOOKUP_LIMIT = 20;
    public static final int MAX_LOOKUP_LIMIT = 1000;
    static final String JSON = "application/json";

    private final Supplier<PxStats> pxStats;
    private final LiveMetrics metrics;
    private final DashboardResources dashboard;
    private volatile TlsStats tlsStats; // of the server built last, when it serves HTTPS

    public DemoHttpApp(Supplier<PxStats> pxStats, LiveMetrics metrics, DashboardResources dashboard) {
        this.pxStats = pxStats;
        this.metrics = metrics;
        this.dashboard = dashboard;
    }

    /** The server: the demo's routes, static files from {@code staticRoot} (null: none), metrics as listener. */
    public HttpServer server(Path staticRoot) {
        return server(staticRoot, Duration.ZERO, false);
    }

    /**
     * As {@link #server(Path)}, with {@code drainDelay} for {@code Running.close(Duration)} and, if
     * {@code accessLog}, a Combined Log Format line per response on the {@code io.pxj.http.access} logger.
     */
    public HttpServer server(Path staticRoot, Duration drainDelay, boolean accessLog) {
        return server(staticRoot, drainDelay, accessLog, null);
    }

    /**
     * As {@link #server(Path, Duration, boolean)}, serving HTTPS with {@code tls} (null: plain HTTP); /stats then
     * has a {@code tls} section (handshakes completed, failed, timed out, the ways they failed, protocol and
     * cipher suite counts).
     */
    public HttpServer server(Path staticRoot, Duration drainDelay, boolean accessLog, SSLContext tls) {
        PrometheusMetrics prometheus = new PrometheusMetrics(pxStats);
        RequestListener live = metrics;
        HttpServer.Builder b = HttpServer.builder()
                .route("/", (req, res) -> dashboardFile(res, "index.html"))
                .prefix("/dashboard", (req, res) -> dashboardFile(res, req.pathWithinRoute()))
                .route("/plaintext", TechEmpower.plaintext())
                .route("/json", TechEmpower.json())
                .route("/stats", this::stats)
                .prefix("/lookup", this::lookup)
                .prefix("/record", this::record)
                .healthRoutes("/healthz", "/readyz")
                .route("/metrics", prometheus::handle)
                .drainDelay(drainDelay)
                .listener(new RequestListener() {
                    @Override
                    public void requestCompleted(io.pxj.http.HttpRequest req, int status, long handlerNanos) {
                        live.requestCompleted(req, status, handlerNanos);
                        prometheus.requestCompleted(req, status, handlerNanos);
                    }

                    @Override
                    public void responseSent(int status, long serverNanos) {
                        live.responseSent(status, serverNanos);
                        prometheus.responseSent(status, serverNanos);
                    }
                });
        if (accessLog) {
            b.accessLog(AccessLog.combined());
        }
        if (staticRoot != null) {
            b.staticRoot(staticRoot); // exact and longer prefix routes win over it
        }
        if (tls != null) {
            b.tls(tls);
        }
        HttpServer server = b.build();
        tlsStats = server.tls() == null ? null : server.tls().stats();
        prometheus.bind(server);
        return server;
    }

    private HttpResponse dashboardFile(HttpResponse res, String name) {
        DashboardResources.Resource r = dashboard.get(name);
        if (r == null) { return error(res, 404, "no dashboard file '" + name + "'"); }
        return res.contentType(r.contentType()).header("Cache-Control", "no-cache").body(r.body());
    }

    HttpResponse stats(HttpRequest req, HttpResponse res) {
        Map<String, Object> m = new LinkedHashMap<>();
        PxStats px = pxStats.get();
        m.put("backend", px.backend());
        m.put("px", px);
        m.put("http", metrics.snapshot());
        TlsStats t = tlsStats;
        if (t != null) {
            m.put("tls", tlsJson(t));
        }
        WikiIndex index = index(req);
        if (index != null) {
            m.put("wiki", Map.of("keys", index.size(), "dataBytes", index.dataBytes(),
                    "indexBytes", index.indexBytes()));
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put("jvm", Map.of("heapUsed", heap.getUsed(), "heapMax", heap.getMax(),
                "processors", Runtime.getRuntime().availableProcessors()));
        return res.header("Cache-Control", "no-store").json(m);
    }

    static Map<String, Object> tlsJson(TlsStats t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handshakesStarted", t.handshakesStarted());
        m.put("handshakesCompleted", t.handshakesCompleted());
        m.put("handshakesFailed", t.handshakesFailed());
        m.put("handshakesTimedOut", t.handshakesTimedOut());
        m.put("handshakesInProgress", t.handshakesInProgress());
        m.put("handshakesRefused", t.handshakesRefused());
        m.put("alertsReceived", t.alertsReceived());
        m.put("notTls", t.notTls());
        m.put("truncatedHandshakes", t.truncatedHandshakes());
        m.put("renegotiationsRefused", t.renegotiationsRefused());
        m.put("recordsTooLarge", t.recordsTooLarge());
        m.put("protocols", t.protocols());
        m.put("cipherSuites", t.cipherSuites());
        return m;
    }

    HttpResponse lookup(HttpRequest req, HttpResponse res) {
        WikiIndex index = index(req);
        if (index == null) { return noIndex(res); }
        String l = req.queryParameter("limit");
        int limit;
        try {
            limit = l == null ? DEFAULT_LOOKUP_LIMIT : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LOOKUP_LIMIT) {
            return error(res, 400, "limit must be a number from 1 to " + MAX_LOOKUP_LIMIT);
        }
        String prefix = req.pathWithinRoute();
        List<WikiIndex.Entry> entries = index.lookup(prefix, limit);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", prefix);
        m.put("matches", index.count(prefix));
        m.put("limit", limit);
        m.put("results", entries);
        return res.header("Cache-Control", "no-store").json(m);
    }

    HttpResponse record(HttpRequest req, HttpResponse res) {
        WikiIndex index = index(req);
        if (index == null) { return noIndex(res); }
        String key = req.pathWithinRoute();
        int i = index.find(key);
        if (i < 0) { return error(res, 404, "no record for key '" + key + "'"); }
        FileRegion region = index.region(i);
        return res.contentType(JSON).file(region.path(), region.offset(), region.length());
    }

    /** The index the main thread published, or null with {@code --index-keys 0}. */
    private static WikiIndex index(HttpRequest req) {
        return req.context().published(WikiIndex.PUBLISHED_NAME, WikiIndex.class);
    }

    private static HttpResponse noIndex(HttpResponse res) {
        return error(res, 404, "the wiki index is disabled (--index-keys 0)");
    }

    private static HttpResponse error(HttpResponse res, int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        return res.status(status).header("Cache-Control", "no-store").json(m);
    }
}

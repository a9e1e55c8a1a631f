package io.pxj.demo.http;

import io.pxj.demo.wiki.WikiIndex;
import io.pxj.runtime.PxStats;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything the {@code http} command serves, as routes independent of the HTTP server implementation (mounted
 * on io.pxj.http by {@link io.pxj.demo.integration.HttpIntegration}):
 * <ul>
 *   <li>{@code /} the live dashboard, {@code /dashboard/*} its CSS and JS (from the jar);</li>
 *   <li>{@code /plaintext}, {@code /json}: the TechEmpower endpoints;</li>
 *   <li>{@code /stats}: JSON of {@code px.stats()}, request counters, latency percentiles, index facts;</li>
 *   <li>{@code /lookup/<prefix>[?limit=N]}: JSON list of up to N keys starting with prefix, with their ranges;</li>
 *   <li>{@code /record/<key>}: the key's record, sent as a ranged zero-copy file region.</li>
 * </ul>
 * Handlers read the {@link WikiIndex} the main thread published ({@link DemoRequest#state()}); they never copy it.
 *
 * <p>Threading: handlers run on pool threads concurrently; the app holds only immutable or thread-safe state.
 */
public final class DemoHttpApp {
    public static final int DEFAULT_LOOKUP_LIMIT = 20;
    public static final int MAX_LOOKUP_LIMIT = 1000;
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<PxStats> pxStats;
    private final LiveMetrics metrics;
    private final DashboardResources dashboard;

    public DemoHttpApp(Supplier<PxStats> pxStats, LiveMetrics metrics, DashboardResources dashboard) {
        this.pxStats = pxStats;
        this.metrics = metrics;
        this.dashboard = dashboard;
    }

    public List<DemoRoute> routes() {
        List<DemoRoute> r = new ArrayList<>();
        r.add(DemoRoute.exact("/", req -> dashboard.response("index.html")));
        r.add(DemoRoute.prefix("/dashboard/", this::dashboardFile));
        r.add(DemoRoute.exact("/plaintext", req -> DemoResponse.ok(DemoResponse.TEXT, HELLO)));
        r.add(DemoRoute.exact("/json", req -> DemoResponse.ok(DemoResponse.JSON,
                Json.write(Map.of("message", "Hello, World!")).getBytes(StandardCharsets.UTF_8))));
        r.add(DemoRoute.exact("/stats", this::stats));
        r.add(DemoRoute.prefix("/lookup/", this::lookup));
        r.add(DemoRoute.prefix("/record/", this::record));
        return List.copyOf(r);
    }

    private DemoResponse dashboardFile(DemoRequest req) {
        DemoResponse r = dashboard.response(req.remainder());
        return r != null ? r : notFound("no dashboard file '" + req.remainder() + "'");
    }

    DemoResponse stats(DemoRequest req) {
        Map<String, Object> m = new LinkedHashMap<>();
        PxStats px = pxStats.get();
        m.put("backend", px.backend());
        m.put("px", px);
        m.put("http", metrics.snapshot());
        WikiIndex index = req.state().published(WikiIndex.PUBLISHED_NAME, WikiIndex.class);
        if (index != null) {
            m.put("wiki", Map.of("keys", index.size(), "dataBytes", index.dataBytes(),
                    "indexBytes", index.indexBytes()));
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put("jvm", Map.of("heapUsed", heap.getUsed(), "heapMax", heap.getMax(),
                "processors", Runtime.getRuntime().availableProcessors()));
        return DemoResponse.json(Json.write(m));
    }

    DemoResponse lookup(DemoRequest req) {
        WikiIndex index = req.state().published(WikiIndex.PUBLISHED_NAME, WikiIndex.class);
        if (index == null) return noIndex();
        int limit;
        try {
            limit = Integer.parseInt(req.queryParam("limit", String.valueOf(DEFAULT_LOOKUP_LIMIT)));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LOOKUP_LIMIT)
            return error(400, "limit must be a number from 1 to " + MAX_LOOKUP_LIMIT);
        String prefix = req.remainder();
        List<WikiIndex.Entry> entries = index.lookup(prefix, limit);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", prefix);
        m.put("matches", index.count(prefix));
        m.put("limit", limit);
        m.put("results", entries);
        return DemoResponse.json(Json.write(m));
    }

    DemoResponse record(DemoRequest req) {
        WikiIndex index = req.state().published(WikiIndex.PUBLISHED_NAME, WikiIndex.class);
        if (index == null) return noIndex();
        int i = index.find(req.remainder());
        if (i < 0) return notFound("no record for key '" + req.remainder() + "'");
        return DemoResponse.file(DemoResponse.JSON, index.region(i));
    }

    private static DemoResponse noIndex() {
        return error(404, "the wiki index is disabled (--index-keys 0)");
    }

    private static DemoResponse notFound(String message) {
        return error(404, message);
    }

    private static DemoResponse error(int status, String message) {
        return new DemoResponse(status, DemoResponse.JSON,
                Json.write(Map.of("status", status, "error", message)).getBytes(StandardCharsets.UTF_8), "no-store");
    }
}

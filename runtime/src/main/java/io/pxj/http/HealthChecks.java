package io.pxj.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state behind {@link HttpServer.Builder#healthRoutes(String, String)}: heartbeats of the pool (the
 * maintenance timer's tick) and of the main loop (a task the tick posts to it), and the readiness rules.
 *
 * <p>Threading: beats are written by a pool thread and by the main thread, read by handlers on any pool thread;
 * all fields are volatile and each is written by one thread at a time.
 */
final class HealthChecks {
    private volatile HttpServer server;
    private volatile long poolBeat;
    private volatile long mainBeat;
    private volatile Duration bound = HttpServer.DEFAULT_LIVENESS_BOUND;
    /** Posted to the main loop once a tick: one shared instance, so the tick allocates nothing for it. */
    final Runnable mainBeatTask = () -> mainBeat = System.nanoTime();

    void attach(HttpServer server, Duration bound) {
        this.server = server;
        this.bound = bound;
    }

    /** Called by {@link HttpServer#start}: the loops count as alive from the moment the server starts. */
    void started() {
        long now = System.nanoTime();
        poolBeat = now;
        mainBeat = now;
    }

    void poolBeat() {
        poolBeat = System.nanoTime();
    }

    HttpResponse liveness(HttpRequest req, HttpResponse res) {
        long now = System.nanoTime();
        long mainMs = (now - mainBeat) / 1_000_000L;
        long poolMs = (now - poolBeat) / 1_000_000L;
        boolean alive = mainMs <= bound.toMillis() && poolMs <= bound.toMillis();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", alive ? "ok" : "stalled");
        m.put("mainLoopMs", mainMs);
        m.put("poolMs", poolMs);
        m.put("boundMs", bound.toMillis());
        return res.status(alive ? 200 : 503).header("Cache-Control", "no-store").json(m);
    }

    HttpResponse readiness(HttpRequest req, HttpResponse res) {
        String reason = server.notReadyReason();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", reason == null);
        if (reason != null) {
            m.put("reason", reason);
        }
        return res.status(reason == null ? 200 : 503).header("Cache-Control", "no-store").json(m);
    }
}

package io.pxj.demo.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's /healthz, /readyz and /metrics on a real runtime over loopback. */
@Timeout(60)
class OperationsRoutesTest {
    static DemoServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = new DemoServerFixture(null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthAndReadinessAnswer200WhileServing() throws Exception {
        var live = server.get("/healthz");
        assertEquals(200, live.statusCode());
        assertTrue(live.body().startsWith("{\"status\":\"ok\""), live.body());
        assertEquals("no-store", live.headers().firstValue("cache-control").orElseThrow());
        var ready = server.get("/readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"ready\":true}", ready.body());
    }

    @Test
    void metricsCountTheRequestsAndBucketTheirLatency() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, server.get("/plaintext").statusCode());
        }
        assertEquals(404, server.get("/missing").statusCode());
        var r = server.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String body = r.body();
        for (String family : new String[] {"pxj_connections_total", "pxj_sent_bytes_total", "pxj_arena_in_use_bytes",
                "pxj_http_requests_total", "pxj_http_connections_active",
                "pxj_jvm_buffer_pool_used_bytes{pool=\"direct\"}", "pxj_backend_value{backend=", "pxj_http_ready 1.0"}) {
            assertTrue(body.contains(family), family + " missing:\n" + body);
        }
        assertTrue(value(body, "pxj_http_responses_total\\{code=\"2xx\"\\}") >= 5, body);
        assertTrue(value(body, "pxj_http_responses_total\\{code=\"4xx\"\\}") >= 1, body);
        // Every response so far is in the histogram; the +Inf bucket holds them all and equals the count.
        double inf = value(body, "pxj_http_request_duration_seconds_bucket\\{le=\"\\+Inf\"\\}");
        assertTrue(inf >= 6, body);
        assertEquals(inf, value(body, "pxj_http_request_duration_seconds_count"));
        assertTrue(value(body, "pxj_http_request_duration_seconds_bucket\\{le=\"5.0\"\\}") <= inf);
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)").matcher(exposition);
        assertTrue(m.find(), series + " missing:\n" + exposition);
        return Double.parseDouble(m.group(1));
    }
}

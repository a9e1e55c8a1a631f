package io.pxj.demo.http;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonAndMetricsTest {
    record Point(int x, String label, double ratio) {}

    @Test
    void writesJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", null);
        m.put("list", List.of(1, 2L, true));
        m.put("rec", new Point(3, "p", 0.5));
        m.put("nan", Double.NaN);
        m.put("whole", 2.0);
        m.put("arr", new long[] {1, 2});
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":null,\"list\":[1,2,true],"
                + "\"rec\":{\"x\":3,\"label\":\"p\",\"ratio\":0.5},\"nan\":null,\"whole\":2,\"arr\":[1,2]}", Json.write(m));
    }

    @Test
    void metricsRollIntervalsAndKeepTotals() {
        LiveMetrics m = new LiveMetrics(0);
        for (int i = 1; i <= 100; i++) m.onRequest("GET", "/x", i <= 90 ? 200 : 503, i * 1000L);
        LiveMetrics.Snapshot s = m.roll(2_000_000_000L); // 2 s after start
        assertEquals(100, s.requests());
        assertEquals(50.0, s.requestsPerSecond());
        assertEquals(90L, s.status().get("2xx"));
        assertEquals(10L, s.status().get("5xx"));
        assertEquals(100, s.latency().count());
        assertEquals(50.0, s.latency().p50(), 0.1);  // microseconds
        assertEquals(99.0, s.latency().p99(), 0.1);
        assertEquals(100.0, s.latency().max(), 0.1);
        assertEquals(2000, s.uptimeMs());

        m.onRequest("GET", "/x", 200, 5_000_000L);
        LiveMetrics.Snapshot t = m.roll(3_000_000_000L);
        assertEquals(1, t.latency().count(), "the interval has only the new request");
        assertEquals(5000.0, t.latency().p50(), 5.0);
        assertEquals(101, t.latencyTotal().count(), "totals keep everything");
        assertEquals(1.0, t.requestsPerSecond());
        assertTrue(m.snapshot() == t);
    }
}

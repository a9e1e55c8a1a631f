package io.pxj.demo.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveMetricsTest {
    @Test
    void metricsRollIntervalsAndKeepTotals() {
        LiveMetrics m = new LiveMetrics(0);
        for (int i = 1; i <= 100; i++) m.record(i <= 90 ? 200 : 503, i * 1000L);
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

        m.record(200, 5_000_000L);
        LiveMetrics.Snapshot t = m.roll(3_000_000_000L);
        assertEquals(1, t.latency().count(), "the interval has only the new request");
        assertEquals(5000.0, t.latency().p50(), 5.0);
        assertEquals(101, t.latencyTotal().count(), "totals keep everything");
        assertEquals(1.0, t.requestsPerSecond());
        assertTrue(m.snapshot() == t);
    }
}

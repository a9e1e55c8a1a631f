package io.pxj.demo.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveMetricsTest {
    @Test
    void metricsRollIntervalsAndKeepTotals() {
        LiveMetrics m = new LiveMetrics(0);
        for (int i = 1; i <= 100; i++) {
            m.requestCompleted(null, i <= 90 ? 200 : 503, i * 1000L);    // handler: 1..100 µs
            m.responseSent(i <= 90 ? 200 : 503, 150_000L + i * 100L);     // server: 150.1..160 µs
        }
        LiveMetrics.Snapshot s = m.roll(2_000_000_000L); // 2 s after start
        assertEquals(100, s.requests());
        assertEquals(50.0, s.requestsPerSecond());
        assertEquals(90L, s.status().get("2xx"));
        assertEquals(10L, s.status().get("5xx"));
        assertEquals(100, s.handlerTime().count());
        assertEquals(50.0, s.handlerTime().p50(), 0.1);  // microseconds
        assertEquals(99.0, s.handlerTime().p99(), 0.1);
        assertEquals(100.0, s.handlerTime().max(), 0.1);
        assertEquals(100, s.serverTime().count());
        assertEquals(155.0, s.serverTime().p50(), 0.1);
        assertEquals(160.0, s.serverTime().max(), 0.1);
        assertEquals(LiveMetrics.SERVER_TIME, s.serverTime().what());
        assertEquals(LiveMetrics.HANDLER_TIME, s.handlerTime().what());
        assertEquals("\u00b5s", s.serverTime().unit());
        assertEquals(2000, s.uptimeMs());

        m.record(200, 5_000_000L);
        m.recordServerTime(20_345_678L);
        LiveMetrics.Snapshot t = m.roll(3_000_000_000L);
        assertEquals(1, t.handlerTime().count(), "the interval has only the new request");
        assertEquals(5000.0, t.handlerTime().p50(), 5.0);
        assertEquals(20345.7, t.serverTime().p50(), 20.0);
        assertEquals(t.serverTime().p50(), Math.round(t.serverTime().p50() * 10) / 10.0, "one decimal");
        assertEquals(101, t.handlerTimeTotal().count(), "totals keep everything");
        assertEquals(101, t.serverTimeTotal().count());
        assertEquals(1.0, t.requestsPerSecond());
        assertTrue(m.snapshot() == t);
    }
}

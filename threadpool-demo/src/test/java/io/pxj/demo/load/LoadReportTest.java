package io.pxj.demo.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadReportTest {
    @Test
    void tableHasThePercentilesInMilliseconds() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) h.recordValue(i * 1_000L); // 1 us .. 1 ms
        String t = LoadReport.latencyTable(h, null);
        assertTrue(t.matches("(?s)\\s+latency \\(ms\\)\\s+p50\\s+p90\\s+p99\\s+p99\\.9\\s+max\\s+mean\\R.*"), t);
        assertTrue(t.contains("all requests"), t);
        assertTrue(t.contains(" 0.500 ") && t.contains(" 0.900 ") && t.contains(" 0.990 ") && t.contains(" 1.000 "), t);
        String both = LoadReport.latencyTable(h, new Histogram(3));
        assertTrue(both.contains("corrected (from intent)") && both.contains("(no responses)"), both);
    }

    @Test
    void progressLine() {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 500; i++) h.recordValue(2_000_000L);
        String p = LoadReport.progress(3, h, 0.5, 2, 9, 10);
        // HdrHistogram reports the highest value equivalent to 2 ms at 3 significant digits
        assertTrue(p.matches("   3s      1,000 req/s   p50   2\\.00\\d ms   p99   2\\.00\\d ms   errors 2   conns 9/10"), p);
    }

    @Test
    void bytes() {
        assertEquals("512 B", LoadReport.bytes(512));
        assertEquals("1.5 KiB", LoadReport.bytes(1536));
        assertEquals("3.0 MiB", LoadReport.bytes(3L << 20));
        assertEquals("2.00 GiB", LoadReport.bytes(2L << 30));
    }
}

package io.pxj.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HarnessParseTest {
    private static final String WRK = """
            Running 3s test @ http://127.0.0.1:18181/plaintext
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     2.10ms    5.01ms  60.00ms   95.00%
                Req/Sec    28.40k     2.10k   31.00k    80.00%
              Latency Distribution
                 50%  910.00us
                 75%    1.20ms
                 90%    2.50ms
                 99%   52.45ms
              84661 requests in 3.00s, 12.1MB read
            Requests/sec:  28220.33
            Transfer/sec:      4.03MB
            """;

    @Test
    void wrkThroughputAndPercentilesInMilliseconds() {
        Harness.Result r = Harness.parseWrk(WRK);
        assertTrue(r.ok(), r.error());
        assertEquals(28220.33, r.rps(), 1e-9);
        assertEquals(0.91, r.p50ms(), 1e-9);
        assertEquals(52.45, r.p99ms(), 1e-9);
    }

    @Test
    void wrkNon2xxAndManySocketErrorsFailTheRun() {
        assertFalse(Harness.parseWrk(WRK.replace("Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec")).ok());
        assertFalse(Harness.parseWrk(WRK.replace("Requests/sec",
                "  Socket errors: connect 0, read 5000, write 0, timeout 0\nRequests/sec")).ok());
        assertTrue(Harness.parseWrk(WRK.replace("Requests/sec",
                "  Socket errors: connect 0, read 3, write 0, timeout 2\nRequests/sec")).ok());
        assertFalse(Harness.parseWrk("unable to connect to 127.0.0.1:1 Connection refused").ok());
    }

    @Test
    void loadSummary() {
        String out = """
                  requests completed     151,234 in 3.01 s = 50,244.5 req/s
                  latency (ms)                 p50       p90       p99     p99.9       max      mean
                  all requests               0.702     1.100    12.632    20.000    31.000     0.900
                  errors                 0
                """;
        Harness.Result r = Harness.parseLoad(out);
        assertTrue(r.ok(), r.error());
        assertEquals(50244.5, r.rps(), 1e-9);
        assertEquals(0.702, r.p50ms(), 1e-9);
        assertEquals(12.632, r.p99ms(), 1e-9);
    }

    @Test
    void mediansSkipFailedRuns() {
        List<Harness.Result> rs = List.of(new Harness.Result(10, 1, 5, 50, null), Harness.Result.failed("x"),
                new Harness.Result(30, 3, 7, 70, null), new Harness.Result(20, 2, 6, 60, null));
        double[] m = Harness.medians(rs);
        assertEquals(20, m[0]);
        assertEquals(2, m[1]);
        assertEquals(6, m[2]);
        assertEquals(60, m[3]);
        assertEquals(2.5, Harness.median(new double[] {1, 2, 3, 4}));
    }
}

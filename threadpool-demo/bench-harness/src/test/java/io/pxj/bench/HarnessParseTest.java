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
        BenchModel.Result r = ClientOutput.parseWrk(WRK);
        assertTrue(r.ok(), r.error());
        assertEquals(28220.33, r.rps(), 1e-9);
        assertEquals(0.91, r.p50ms(), 1e-9);
        assertEquals(52.45, r.p99ms(), 1e-9);
    }

    @Test
    void wrkNon2xxAndManySocketErrorsFailTheRun() {
        assertFalse(ClientOutput.parseWrk(WRK.replace("Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec")).ok());
        assertFalse(ClientOutput.parseWrk(WRK.replace("Requests/sec",
                "  Socket errors: connect 0, read 5000, write 0, timeout 0\nRequests/sec")).ok());
        assertTrue(ClientOutput.parseWrk(WRK.replace("Requests/sec",
                "  Socket errors: connect 0, read 3, write 0, timeout 2\nRequests/sec")).ok());
        assertFalse(ClientOutput.parseWrk("unable to connect to 127.0.0.1:1 Connection refused").ok());
    }

    @Test
    void loadSummary() {
        String out = """
                  requests completed     151,234 in 3.01 s = 50,244.5 req/s
                  latency (ms)                 p50       p90       p99     p99.9       max      mean
                  all requests               0.702     1.100    12.632    20.000    31.000     0.900
                  errors                 0
                """;
        BenchModel.Result r = ClientOutput.parseLoad(out);
        assertTrue(r.ok(), r.error());
        assertEquals(50244.5, r.rps(), 1e-9);
        assertEquals(0.702, r.p50ms(), 1e-9);
        assertEquals(12.632, r.p99ms(), 1e-9);
    }

    /** What the demo's {@code load http --warmup 1} prints (LoadCommand/LoadReport): warm-up and progress, then the table. */
    private static final String LOAD_HTTP = """
            PxJ load http http://127.0.0.1:18180/plaintext: 64 connection(s), 3 s, pipeline 1, closed loop (backend iocp)
            warm-up 1 s (left out of the summary)
               1s     12,000 req/s   p50   9.100 ms   p99  80.000 ms   errors 3   conns 64/64
            warm-up done; measuring for 3 s
               1s     41,234 req/s   p50   1.400 ms   p99   4.000 ms   errors 0   conns 64/64
               2s     42,000 req/s   p50   1.350 ms   p99   3.900 ms   errors 0   conns 64/64
               3s     41,900 req/s   p50   1.380 ms   p99   3.950 ms   errors 0   conns 64/64

              requests completed     125,134 in 3.00 s = 41,711.3 req/s
              latency (ms)                 p50       p90       p99     p99.9       max      mean
              all requests               1.377     2.100     3.951     9.000    21.000     1.500
              errors                 0
              status                 1xx 0  2xx 125,134  3xx 0  4xx 0  5xx 0  other 0
              bytes                  sent 10.1 MiB, received 16.2 MiB (5.4 MiB/s in)
            """;

    @Test
    void demoLoadHttpTable() {
        BenchModel.Result r = ClientOutput.parseLoad(LOAD_HTTP);
        assertTrue(r.ok(), r.error());
        assertEquals(41711.3, r.rps(), 1e-9);
        assertEquals(1.377, r.p50ms(), 1e-9);
        assertEquals(3.951, r.p99ms(), 1e-9);
    }

    @Test
    void demoLoadHttpNon2xxErrorsAndEmptyRunsFail() {
        BenchModel.Result non2xx = ClientOutput.parseLoad(LOAD_HTTP.replace("4xx 0  5xx 0", "4xx 12  5xx 0"));
        assertFalse(non2xx.ok());
        assertTrue(non2xx.error().startsWith("12 non-2xx responses"), non2xx.error());
        assertFalse(ClientOutput.parseLoad(LOAD_HTTP.replace("errors                 0", "errors                 5000")).ok());
        assertTrue(ClientOutput.parseLoad(LOAD_HTTP.replace("errors                 0", "errors                 3")).ok());
        String none = LOAD_HTTP.replace("125,134 in 3.00 s = 41,711.3", "0 in 3.00 s = 0.0")
                .replaceAll("all requests .*", "all requests          (no responses)");
        assertFalse(ClientOutput.parseLoad(none).ok());
        assertFalse(ClientOutput.parseLoad("PxJ load failed: cannot connect to /127.0.0.1:1: Connection refused").ok());
    }

    @Test
    void demoLoadFixedRateUsesTheCorrectedRow() {
        String rated = LOAD_HTTP.replace("  all requests               1.377", "  corrected (from intent)   1.377")
                .replace("  errors  ", "  uncorrected (service)      0.500     0.600     0.900     1.000     2.000     0.550\n  errors  ");
        BenchModel.Result r = ClientOutput.parseLoad(rated);
        assertTrue(r.ok(), r.error());
        assertEquals(1.377, r.p50ms(), 1e-9);
        assertEquals(3.951, r.p99ms(), 1e-9);
    }

    @Test
    void backendNameFromTheServersStartLine() {
        assertEquals("iocp", ServerChecks.backendName(
                "PxJ http listening on http://127.0.0.1:18180/ (bound to /127.0.0.1:18180, backend iocp)\n"));
        assertEquals("epoll", ServerChecks.backendName("pxj-lib (backend epoll, 2 threads) http on /127.0.0.1:18189"));
        assertEquals("nio", ServerChecks.backendName("INFO BackendSelector - PxJ backend 'nio' chosen; 'windows' is unavailable here"));
        assertEquals(null, ServerChecks.backendName("Netty epoll on 18181"));
    }

    @Test
    void mediansSkipFailedRuns() {
        List<BenchModel.Result> rs = List.of(new BenchModel.Result(10, 1, 5, 50, null), BenchModel.Result.failed("x"),
                new BenchModel.Result(30, 3, 7, 70, null), new BenchModel.Result(20, 2, 6, 60, null));
        double[] m = RunAnalysis.medians(rs);
        assertEquals(20, m[0]);
        assertEquals(2, m[1]);
        assertEquals(6, m[2]);
        assertEquals(60, m[3]);
        assertEquals(2.5, Ordering.median(new double[] {1, 2, 3, 4}));
    }

    @org.junit.jupiter.api.Test
    void targetsFollowTheBaseline() {
        org.junit.jupiter.api.Assertions.assertEquals(1.15, RunAnalysis.targetRatio("netty-epoll"));
        org.junit.jupiter.api.Assertions.assertEquals(1.5, RunAnalysis.targetRatio("nio2"));
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(RunAnalysis.targetRatio("jdk-httpserver")));
    }
}

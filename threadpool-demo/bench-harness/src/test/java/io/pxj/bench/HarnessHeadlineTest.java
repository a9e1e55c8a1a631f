package io.pxj.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ApacheBench's report, requests per server-CPU-second, the headline table, the efficiency targets, churn. */
class HarnessHeadlineTest {
    /** What {@code ab -q -r -c 32 -t 3 -n 300000 URL} prints (ApacheBench 2.3, Debian's apache2-utils). */
    private static final String AB = """
            This is ApacheBench, Version 2.3 <$Revision: 1903618 $>
            Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/
            Licensed to The Apache Software Foundation, http://www.apache.org/

            Benchmarking 127.0.0.1 (be patient).....done


            Server Software:        nginx
            Server Hostname:        127.0.0.1
            Server Port:            18210

            Document Path:          /plaintext
            Document Length:        13 bytes

            Concurrency Level:      32
            Time taken for tests:   3.000 seconds
            Complete requests:      61234
            Failed requests:        0
            Total transferred:      9797440 bytes
            HTML transferred:       796042 bytes
            Requests per second:    20411.33 [#/sec] (mean)
            Time per request:       1.568 [ms] (mean)
            Time per request:       0.049 [ms] (mean, across all concurrent requests)
            Transfer rate:          3189.27 [Kbytes/sec] received

            Connection Times (ms)
                          min  mean[+/-sd] median   max
            Connect:        0    1   0.3      1       4
            Processing:     0    1   0.4      1       6
            Waiting:        0    1   0.4      1       5
            Total:          1    2   0.5      2       8

            Percentage of the requests served within a certain time (ms)
              50%      2
              66%      2
              75%      2
              80%      2
              90%      2
              95%      3
              98%      3
              99%      4
             100%      8 (longest request)
            """;

    private static BenchModel.Result run(double rps, double cpuPct) {
        return new BenchModel.Result(rps, 1, 2, cpuPct, null);
    }

    @Test
    void abThroughputAndWholeMillisecondPercentiles() {
        BenchModel.Result r = ClientOutput.parseAb(AB);
        assertTrue(r.ok(), r.error());
        assertEquals(20411.33, r.rps(), 1e-9);
        assertEquals(2, r.p50ms(), 1e-9);
        assertEquals(4, r.p99ms(), 1e-9);
        BenchModel.Result fast = ClientOutput.parseAb(AB.replace("  50%      2", "  50%      0"));
        assertTrue(Double.isNaN(fast.p50ms()), "0 ms is 'under 1 ms', not a latency");
    }

    @Test
    void abFailuresNon2xxAndMissingReportsFailTheRun() {
        assertTrue(ClientOutput.parseAb(AB.replace("Failed requests:        0",
                "Failed requests:        12\n   (Connect: 0, Receive: 12, Length: 0, Exceptions: 0)")).ok());
        BenchModel.Result failed = ClientOutput.parseAb(AB.replace("Failed requests:        0",
                "Failed requests:        5000\n   (Connect: 0, Receive: 5000, Length: 0, Exceptions: 0)"));
        assertFalse(failed.ok());
        assertEquals("ab: 5000 failed of 61234", failed.error());
        BenchModel.Result non2xx = ClientOutput.parseAb(AB.replace("Total transferred:",
                "Non-2xx responses:      3\nTotal transferred:"));
        assertEquals("3 non-2xx responses of 61234", non2xx.error());
        assertFalse(ClientOutput.parseAb("apr_socket_connect(): Connection refused (111)").ok());
        assertFalse(new ClientOutput.Run(AB, 1, false, false).parseAb().ok(), "a non-zero exit fails the run");
        assertTrue(new ClientOutput.Run(AB, 0, false, false).parseAb().ok());
    }

    @Test
    void perCpuSecondIsRequestsPerSecondOverCoresUsed() {
        assertEquals(200_000, RunAnalysis.perCpuSecond(run(100_000, 50)), 1e-6);
        assertEquals(100_000, RunAnalysis.perCpuSecond(run(100_000, 100)), 1e-6);
        assertTrue(Double.isNaN(RunAnalysis.perCpuSecond(run(100_000, Double.NaN))));
        assertTrue(Double.isNaN(RunAnalysis.perCpuSecond(run(100_000, 0))));
        List<BenchModel.Result> rs = List.of(run(100, 50), BenchModel.Result.failed("x"), run(90, 30), run(80, 100));
        assertEquals(200, RunAnalysis.medianPerCpuSecond(rs), 1e-9); // of 200, 300 and 80
    }

    @Test
    void orderingFollowsRequestsPerCpuSecondNotRequestsPerSecond() {
        // "busy" serves 10 % more requests but burns 50 % more CPU for them: "lean" is ahead.
        List<BenchModel.Result> busy = List.of(run(110, 90), run(111, 90), run(109, 90));
        List<BenchModel.Result> lean = List.of(run(100, 60), run(100, 60), run(100, 60));
        Map<String, List<BenchModel.Result>> m = new LinkedHashMap<>();
        m.put("busy", busy);
        m.put("lean", lean);
        assertEquals(List.of(List.of("lean"), List.of("busy")), Ordering.ordering(m));
        assertEquals(1, Ordering.ahead(lean, busy));
    }

    private static Map<String, Map<String, List<BenchModel.Result>>> results() {
        Map<String, Map<String, List<BenchModel.Result>>> r = new LinkedHashMap<>();
        Map<String, List<BenchModel.Result>> plain = new LinkedHashMap<>();
        plain.put("pxj", List.of(run(200_000, 95), run(190_000, 90)));
        plain.put("nginx", List.of(run(196_000, 98), run(180_000, 90)));
        plain.put("netty-epoll", List.of(run(190_000, 99), run(185_000, 97)));
        r.put("plaintext-c64", plain);
        Map<String, List<BenchModel.Result>> echo = new LinkedHashMap<>();
        echo.put("pxj-echo", List.of(run(135_000, 54), run(130_000, 52)));
        echo.put("netty-epoll", List.of(run(135_000, 58), run(130_000, 56)));
        r.put("echo-64x64B", echo);
        Map<String, List<BenchModel.Result>> churn = new LinkedHashMap<>();
        churn.put("pxj", List.of(run(40_000, 90), BenchModel.Result.failed("x")));
        churn.put("nginx", List.of(run(60_000, 80), run(61_000, 80)));
        r.put("churn-c32", churn);
        return r;
    }

    @Test
    void headlineTableHasAColumnPerServerAndPxjOverEachAnchor() {
        String t = RunAnalysis.headlineTable(results(), Map.of("plaintext-c64", "plaintext, wrk -t1 -c64"));
        List<String> lines = List.of(t.split("\n"));
        assertEquals("| configuration | pxj | nginx | netty-epoll | pxj ÷ nginx | pxj ÷ netty-epoll |", lines.get(0));
        assertEquals("|---|--:|--:|--:|--:|--:|", lines.get(1));
        // pxj: 210.5k and 211.1k per CPU-s, median 210.8k; per-round ratios to nginx 1.053 and 1.056.
        assertEquals("| plaintext, wrk -t1 -c64 | 210.8k | 200.0k | 191.3k | 1.05 | 1.10 |", lines.get(2));
        // pxj-echo's round trips sit in pxj's column; nginx has no echo.
        assertEquals("| echo-64x64B | 250.0k | — | 232.5k | — | 1.08 |", lines.get(3));
        assertEquals("| churn-c32 | 44.4k | 75.6k | — | 0.59 | — |", lines.get(4));
        assertEquals(5, lines.size());
    }

    @Test
    void efficiencyTargetsCompareMediansOfSameRoundRatios() {
        String t = RunAnalysis.efficiencyTargets(results());
        assertTrue(t.contains("pxj >= 1.05x nginx requests per server-CPU-second on plaintext-c64 (median per-round "
                + "ratio): 1.05x, met"), t);
        assertTrue(t.contains("pxj-echo >= 1.10x netty-epoll requests per server-CPU-second on echo-64x64B (median "
                + "per-round ratio): 1.08x, MISSED"), t);
        assertTrue(t.contains("pxj >= 0.90x nginx requests per server-CPU-second on churn-c32 (median per-round "
                + "ratio): 0.59x, MISSED"), t);
        assertFalse(t.contains("plaintext-c256"), "configurations that did not run have no line: " + t);
        assertEquals("pxj", RunAnalysis.column("pxj-echo"));
        assertEquals("pxj-lib", RunAnalysis.column("pxj-lib-echo"));
        assertEquals("nginx", RunAnalysis.column("nginx"));
    }

    @Test
    void churnIsOneConfigurationOfPlaintextOnNewConnections() {
        List<BenchModel.Config> churn = BenchModel.configs().stream().filter(BenchModel.Config::churn).toList();
        assertEquals(1, churn.size());
        assertEquals("churn-c32", churn.get(0).id());
        assertEquals("/plaintext", churn.get(0).path());
        assertEquals(32, churn.get(0).connections());
        assertFalse(churn.get(0).echo());
        assertTrue(BenchModel.configs().stream().filter(c -> !c.churn()).noneMatch(c -> c.id().startsWith("churn")));
        assertFalse(Harness.PORTABLE_CONFIGS.contains("churn-c32"), "ab is not everywhere");
    }
}

package io.pxj.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --pin parsing, per-round ratios, the ordering-with-ties rule and the comparison with the previous run. */
class HarnessOrderingTest {

    private static BenchModel.Result run(double rps) {
        return new BenchModel.Result(rps, 1, 2, 95, null);
    }

    private static List<BenchModel.Result> runs(double... rps) {
        List<BenchModel.Result> l = new ArrayList<>();
        for (double r : rps) l.add(Double.isNaN(r) ? BenchModel.Result.failed("x") : run(r));
        return l;
    }

    // ------------------------------------------------------------------ --pin

    @Test
    void pinParsesSingleCpusRangesAndLists() {
        assertEquals(new HarnessOptions.Pin("1", "0"), HarnessOptions.Pin.parse("1:0"));
        assertEquals(new HarnessOptions.Pin("2-3", "0-1"), HarnessOptions.Pin.parse("2-3:0-1"));
        assertEquals(new HarnessOptions.Pin("3", "0-1,5"), HarnessOptions.Pin.parse("3:5,0,1"));
        assertEquals("server on CPU 1, clients on CPU 0", HarnessOptions.Pin.parse("1:0").describe());
        assertEquals("server on CPUs 2-3, clients on CPUs 0-1", HarnessOptions.Pin.parse("2-3:0-1").describe());
    }

    @Test
    void pinErrorsNameTheBadValue() {
        for (String bad : List.of("1", "1:", ":0", "a:0", "1:0:2", "3-2:0", "1:1", "0-2:2", "1:-1", "1,:0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HarnessOptions.Pin.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("SERVER_CPUS:CLIENT_CPUS"), e.getMessage());
        }
    }

    @Test
    void pinDefaultAndOffSwitches() {
        HarnessOptions.Options o = new HarnessOptions.Options();
        HarnessOptions.choosePin(o, null, false, true, true, List.of(0, 1));
        assertEquals(new HarnessOptions.Pin("1", "0"), o.pin);
        HarnessOptions.choosePin(o, null, false, true, true, List.of(0, 1, 2, 3));
        assertEquals(new HarnessOptions.Pin("3", "0-2"), o.pin);
        HarnessOptions.choosePin(o, null, false, true, true, List.of(4, 5));
        assertEquals(new HarnessOptions.Pin("5", "4"), o.pin);
        HarnessOptions.choosePin(o, null, false, true, true, List.of(0));
        assertNull(o.pin);
        assertTrue(o.pinOffReason.contains("1 CPU"), o.pinOffReason);
        HarnessOptions.choosePin(o, null, false, true, false, List.of(0, 1));
        assertNull(o.pin);
        assertTrue(o.pinOffReason.contains("taskset"), o.pinOffReason);
        HarnessOptions.choosePin(o, null, false, false, true, List.of(0, 1));
        assertNull(o.pin);
        HarnessOptions.choosePin(o, "1:0", true, true, true, List.of(0, 1));
        assertNull(o.pin, "--no-pin wins");
        HarnessOptions.choosePin(o, "2-3:0-1", false, true, true, List.of(0, 1, 2, 3));
        assertEquals(new HarnessOptions.Pin("2-3", "0-1"), o.pin);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HarnessOptions.choosePin(new HarnessOptions.Options(), "2:0", false, true, true, List.of(0, 1)));
        assertTrue(e.getMessage().contains("CPU 2 is not available"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.choosePin(new HarnessOptions.Options(), "1:0", false, true, false, List.of(0, 1)));
    }

    @Test
    void pinnedCommandsStartWithTaskset() {
        assertEquals(List.of("taskset", "-c", "1", "java", "-jar", "x.jar"), ServerChecks.pinned(List.of("java", "-jar", "x.jar"), "1"));
        assertEquals(List.of("wrk"), ServerChecks.pinned(List.of("wrk"), null));
    }

    // ------------------------------------------------------------------ per-round ratios

    @Test
    void perRoundRatioMedianDiffersFromTheRatioOfMedians() {
        // The machine slows down over the rounds; a is 10 % faster than b in every round.
        List<BenchModel.Result> a = runs(110, 220, 330);
        List<BenchModel.Result> b = runs(100, 200, 300);
        assertEquals(1.1, RunAnalysis.medianRoundRatio(a, b, BenchModel.Result::rps), 1e-12);
        // b's median (200) comes from a different round than a's best: a drifting machine breaks the ratio of medians.
        List<BenchModel.Result> a2 = runs(110, 330, 220);
        List<BenchModel.Result> b2 = runs(300, 200, 100);
        double[] r = RunAnalysis.roundRatios(a2, b2, BenchModel.Result::rps);
        assertEquals(3, r.length);
        assertEquals(110.0 / 300, r[0], 1e-12);
        assertEquals(330.0 / 200, RunAnalysis.medianRoundRatio(a2, b2, BenchModel.Result::rps), 1e-12);
    }

    @Test
    void perRoundRatiosSkipRoundsWhereEitherFailed() {
        List<BenchModel.Result> a = runs(110, Double.NaN, 300, 120);
        List<BenchModel.Result> b = runs(100, 200, Double.NaN, 100);
        assertEquals(2, RunAnalysis.roundRatios(a, b, BenchModel.Result::rps).length);
        assertEquals(1.15, RunAnalysis.medianRoundRatio(a, b, BenchModel.Result::rps), 1e-12);
        assertTrue(Double.isNaN(RunAnalysis.medianRoundRatio(runs(Double.NaN), runs(1), BenchModel.Result::rps)));
        assertTrue(Double.isNaN(RunAnalysis.medianRoundRatio(a, null, BenchModel.Result::rps)));
        // CPU us/req: 95 % of a core at 95,000 req/s is 10 us per request.
        assertEquals(10.0, RunAnalysis.cpuUsPerRequest(run(95_000)), 1e-9);
    }

    // ------------------------------------------------------------------ ordering

    private static Map<String, List<BenchModel.Result>> servers(Object... nameAndRuns) {
        Map<String, List<BenchModel.Result>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndRuns.length; i += 2) m.put((String) nameAndRuns[i], (List<BenchModel.Result>) nameAndRuns[i + 1]);
        return m;
    }

    @Test
    void tiesWithinThreePercentOrderedBeyond() {
        assertTrue(Ordering.ties(runs(102.9), runs(100)));
        assertFalse(Ordering.ties(runs(103.1), runs(100)));
        assertTrue(Ordering.ties(runs(100), runs(102.9)), "symmetric");
        // 5 % apart in the median, but behind in one round: not distinguishable.
        assertTrue(Ordering.ties(runs(95, 105, 115), runs(100, 100, 100)));
        // Ahead by more than 3 % in one round only: not distinguishable.
        assertTrue(Ordering.ties(runs(104, 102, 106), runs(100, 100, 100)));
        // Ahead by more than 3 % in every round: ordered, both ways round.
        assertFalse(Ordering.ties(runs(104, 105, 106), runs(100, 100, 100)));
        assertEquals(1, Ordering.ahead(runs(104, 105, 106), runs(100, 100, 100)));
        assertEquals(-1, Ordering.ahead(runs(100, 100, 100), runs(104, 105, 106)));
        // Rounds where either failed are left out.
        assertEquals(1, Ordering.ahead(runs(104, Double.NaN, 106), runs(100, 200, 100)));
    }

    @Test
    void orderingGroupsFromTheTopAgainstTheGroupsFirstServer() {
        Map<String, List<BenchModel.Result>> m = servers(
                "nio2", runs(80), "netty-epoll", runs(98), "pxj", runs(100), "netty-io_uring", runs(97.5),
                "jdk-httpserver", runs(50), "broken", runs(Double.NaN), "netty-nio", runs(96.5));
        List<List<String>> g = Ordering.ordering(m);
        // 96.5 is 3.6 % below 100: not in pxj's group, though it is within 3 % of 98 and 97.5 (no chaining).
        assertEquals(List.of(List.of("pxj", "netty-epoll", "netty-io_uring"), List.of("netty-nio"), List.of("nio2"),
                List.of("jdk-httpserver")), g);
        assertEquals("plaintext-c64: pxj = netty-epoll = netty-io_uring > netty-nio > nio2 > jdk-httpserver",
                Ordering.orderingLine("plaintext-c64", g));
        assertEquals(Map.of("plaintext-c64", g), Ordering.parseOrdering(List.of("# a comment", "", Ordering.orderingLine("plaintext-c64", g))));
    }

    private static int contra(List<List<String>> now, List<List<String>> before) {
        return Ordering.comparePairs(Map.of("c", Ordering.pairsOf(now)), Map.of("c", Ordering.pairsOf(before))).contradictions();
    }

    @Test
    void contradictionsAreStrictPairsOrderedBothWays() {
        List<List<String>> now = List.of(List.of("pxj"), List.of("netty-epoll", "netty-io_uring"), List.of("nio2"));
        assertEquals(java.util.Set.of("pxj > netty-epoll", "pxj > netty-io_uring", "pxj > nio2", "netty-epoll > nio2",
                "netty-io_uring > nio2"), Ordering.pairsOf(now));
        // Ties are compatible with either order; a server missing from the previous run is not compared.
        assertEquals(0, contra(now, List.of(List.of("pxj", "netty-epoll"), List.of("netty-io_uring"), List.of("nio2"))));
        assertEquals(0, contra(now, List.of(List.of("pxj"), List.of("netty-epoll"))));
        assertEquals(0, contra(now, List.of(List.of("pxj", "netty-epoll", "netty-io_uring", "nio2"))));
        assertEquals(1, contra(now, List.of(List.of("netty-epoll"), List.of("pxj", "netty-io_uring"), List.of("nio2"))));
        assertEquals(1, contra(List.of(List.of("pxj"), List.of("netty-io_uring"), List.of("nio2")),
                List.of(List.of("pxj"), List.of("nio2"), List.of("netty-io_uring"))));
        assertEquals(2, contra(List.of(List.of("a"), List.of("b"), List.of("c")), List.of(List.of("c"), List.of("a"), List.of("b"))));
    }

    @Test
    void comparisonWithThePreviousRun() {
        // "+" lines (strict pairs) win over the ordering line; configurations without one fall back to the groups.
        Map<String, java.util.Set<String>> now = Ordering.parsePairs(List.of(
                "plaintext-c64: pxj > netty-epoll = netty-io_uring > nio2", "+ plaintext-c64: pxj > nio2; netty-epoll > nio2",
                "json: pxj > nio2", "echo-64x64B: pxj-echo > nio2"));
        assertEquals(java.util.Set.of("pxj > nio2", "netty-epoll > nio2"), now.get("plaintext-c64"));
        Ordering.Agreement same = Ordering.comparePairs(now, Ordering.parsePairs(List.of("# previous",
                "plaintext-c64: nio2 > pxj", "+ plaintext-c64: netty-io_uring > pxj", "json: pxj = nio2", "static64k: nio2 > pxj")));
        assertEquals("ordering vs the previous run: agrees (2 configurations)\n", same.text());
        assertEquals(0, same.contradictions());
        Ordering.Agreement bad = Ordering.comparePairs(now, Ordering.parsePairs(List.of(
                "plaintext-c64: netty-epoll > pxj > nio2", "+ plaintext-c64: nio2 > pxj", "json: nio2 > pxj", "echo-64x64B: pxj-echo > nio2")));
        assertEquals(2, bad.contradictions());
        assertEquals("ordering vs the previous run: CONTRADICTS in 2 of 3 configurations\n"
                + "  plaintext-c64: pxj > nio2 now, nio2 > pxj before\n"
                + "  json: pxj > nio2 now, nio2 > pxj before\n", bad.text());
        assertEquals("ordering vs the previous run: no configuration in common\n",
                Ordering.comparePairs(now, Map.of()).text());
        assertEquals("+ json: a > b; c > d", Ordering.pairsLine("json", new java.util.TreeSet<>(List.of("c > d", "a > b"))));
    }

    @Test
    void tiesAreJudgedRoundByRoundNotByRatiosOfMedians() {
        // The machine runs at one of two speeds per run: equal servers whose 3 runs fall 2-1 in different modes have
        // medians 20 % apart, but their same-round ratios are 1.007, 0.80, 0.976: a tie.
        assertTrue(Ordering.ties(runs(119_287, 94_638, 94_248), runs(118_407, 118_043, 96_529)));
        // A steady 10 % lead in every round is an order, whatever the medians.
        assertFalse(Ordering.ties(runs(110, 88, 110), runs(100, 80, 100)));
        // Ordering follows the per-round score, not the medians: "a" is 10 % ahead in each round, though its median
        // (99) is below b's (100).
        Map<String, List<BenchModel.Result>> m = servers("b", runs(100, 90, 80), "a", runs(110, 99, 88));
        assertEquals(List.of(List.of("a"), List.of("b")), Ordering.ordering(m));
        Map<String, Double> sc = Ordering.scores(m);
        assertTrue(sc.get("a") > sc.get("b"));
    }

    @Test
    void runsCsvIsReadBackAndReanalysed() throws Exception {
        List<String> csv = List.of("round,config,server,req_per_s,p50_ms,p99_ms,server_cpu_pct,client_cpu_pct,error",
                "1,json,pxj,110.0,0.1,0.2,95.0,99.0,",
                "1,json,nio2,100.0,0.1,0.2,95.0,99.0,",
                "2,json,pxj,88.0,0.1,0.2,95.0,99.0,",
                "2,json,nio2,80.0,0.1,0.2,95.0,99.0,",
                "2,json,jdk-httpserver,NaN,NaN,NaN,NaN,NaN,exit 1: refused",
                "1,echo-64x64B,pxj-echo,100.0,0.1,0.2,95.0,99.0,");
        Map<String, Map<String, List<BenchModel.Result>>> r = RunAnalysis.parseRuns(csv);
        assertEquals(2, r.get("json").get("pxj").size());
        assertEquals(2, r.get("json").get("jdk-httpserver").size(), "missing round 1 is a failed entry");
        assertFalse(r.get("json").get("jdk-httpserver").get(1).ok());
        assertEquals(99.0, r.get("json").get("pxj").get(0).clientCpuPct());
        assertThrows(IllegalArgumentException.class, () -> RunAnalysis.parseRuns(List.of("x,y")));

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pxj-ordering");
        java.nio.file.Path runsCsv = java.nio.file.Files.write(dir.resolve("runs.csv"), csv);
        java.nio.file.Path prev = java.nio.file.Files.write(dir.resolve("prev.txt"), List.of("json: nio2 > pxj"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int bad = RunAnalysis.reanalyse(new String[] {runsCsv.toString(), "--previous", prev.toString(),
                "--write", dir.resolve("out.txt").toString()}, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("json: pxj > nio2"), text);
        assertEquals(1, bad);
        assertTrue(java.nio.file.Files.readString(dir.resolve("out.txt")).contains("json: pxj > nio2"));
        assertThrows(IllegalArgumentException.class, () -> RunAnalysis.reanalyse(new String[] {runsCsv.toString(), "--bogus", "x"}, System.out));
        assertThrows(IllegalArgumentException.class, () -> RunAnalysis.reanalyse(new String[0], System.out));
    }
}

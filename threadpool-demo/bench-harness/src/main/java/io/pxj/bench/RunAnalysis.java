package io.pxj.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pxj.bench.BenchModel.Result;
import io.pxj.bench.Ordering.Agreement;

import static io.pxj.bench.Ordering.comparePairs;
import static io.pxj.bench.Ordering.median;
import static io.pxj.bench.Ordering.ordering;
import static io.pxj.bench.Ordering.orderingLine;
import static io.pxj.bench.Ordering.pairsLine;
import static io.pxj.bench.Ordering.parsePairs;
import static io.pxj.bench.Ordering.strictPairs;

/**
 * The numbers behind the report: per-round ratios and medians of runs, the throughput target, the ordering section
 * (with the comparison against the previous run's ordering.txt), and re-analysing a finished run's runs.csv.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
final class RunAnalysis {
    private RunAnalysis() {
    }

    static final String ORDERING_LEGEND
            = "\nOrdering by requests per server-CPU-second relative to each round (the median over rounds of that"
            + " figure divided by the round's geometric mean); '=' joins servers not distinguishable from the group's"
            + " first: one is ahead "
            + "of another only"
            + " if it beat it by more than 3 % in every round. Runs are compared pair by pair ('+' lines of "
            + "ordering.txt):\n";

    /**
     * The report text of the ordering section, the ordering.txt content and the contradicting pairs with the previous
     * run.
     */
    record OrderingSection(String text, String file, int contradictions) {}

    /**
     * Ordering lines (and strict pairs) for each configuration of {@code results}, compared with {@code previous}
     * (an earlier ordering.txt's lines) when not null.
     */
    static OrderingSection orderingSection(Map<String, Map<String, List<Result>>> results, String header,
            List<String> previous) {
        StringBuilder t = new StringBuilder(ORDERING_LEGEND);
        StringBuilder lines = new StringBuilder("# ").append(header).append('\n');
        Map<String, java.util.Set<String>> now = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<Result>>> e : results.entrySet()) {
            List<List<String>> groups = ordering(e.getValue());
            if (groups.isEmpty()) { continue; }
            java.util.Set<String> pairs = strictPairs(e.getValue());
            now.put(e.getKey(), pairs);
            String line = orderingLine(e.getKey(), groups);
            t.append("  ").append(line).append('\n');
            lines.append(line).append('\n').append(pairsLine(e.getKey(), pairs)).append('\n');
        }
        int contradictions = 0;
        if (previous != null) {
            Agreement a = comparePairs(now, parsePairs(previous));
            contradictions = a.contradictions();
            t.append(a.text());
            String h = previous.stream().filter(l -> l.startsWith("#")).findFirst().orElse("");
            if (!h.isEmpty()) { t.append("  (previous run: ").append(h.substring(1).strip()).append(")\n"); }
        }
        return new OrderingSection(t.toString(), lines.toString(), contradictions);
    }

    /**
     * Re-reads a run's {@code runs.csv} and prints its ordering lines (with the current rule), optionally compared with
     * another run's {@code ordering.txt}: {@code java -jar pxj-bench.jar ordering RUNS.csv [--previous ORDERING.txt]
     * [--write ORDERING.txt]}. For checking two runs' agreement after the fact, or under a changed rule.
     *
     * @return the number of contradicting pairs (0 without --previous)
     */
    static int reanalyse(String[] args, PrintStream out) throws IOException {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: ordering RUNS.csv [--previous ORDERING.txt] [--write "
                    + "ORDERING.txt]");
        }
        Path csv = Path.of(args[0]);
        Path previous = null, write = null;
        for (int i = 1; i < args.length; i++) {
            if (i + 1 >= args.length) { throw new IllegalArgumentException(args[i] + " needs a value"); }
            switch (args[i]) {
                case "--previous" -> previous = Path.of(args[++i]);
                case "--write" -> write = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: ordering RUNS.csv [--previous ORDERING.txt] [--write ORDERING.txt]");
            }
        }
        OrderingSection o = orderingSection(parseRuns(Files.readAllLines(csv)), "re-analysed from " + csv,
                previous == null ? null : Files.readAllLines(previous));
        if (write != null) { Files.writeString(write, o.file()); }
        out.print(o.text());
        return o.contradictions();
    }

    /**
     * runs.csv back into config -> server -> results indexed by round (round,config,server,req_per_s,p50_ms,p99_ms,
     * server_cpu_pct[,client_cpu_pct],error); a server missing from a round gets a failed entry there.
     */
    static Map<String, Map<String, List<Result>>> parseRuns(List<String> csv) {
        Map<String, Map<String, List<Result>>> m = new LinkedHashMap<>();
        if (csv.isEmpty() || !csv.get(0).startsWith("round,config,server,req_per_s")) {
            throw new IllegalArgumentException("not a harness runs.csv (header missing)");
        }
        boolean client = csv.get(0).contains("client_cpu_pct");
        for (String l : csv.subList(1, csv.size())) {
            if (l.isBlank()) { continue; }
            String[] f = l.split(",", -1);
            if (f.length < (client ? 9 : 8)) {
                throw new IllegalArgumentException("runs.csv line with too few fields: " + l);
            }
            int round = Integer.parseInt(f[0]);
            String error = f[client ? 8 : 7];
            Result r = error.isEmpty()
                    ? new Result(Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]),
                            client ? Double.parseDouble(f[7]) : Double.NaN, null)
                    : Result.failed(error);
            List<Result> rs = m.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).computeIfAbsent(f[2],
                    k -> new ArrayList<>());
            while (rs.size() < round - 1) { rs.add(Result.failed("not run in this round")); }
            rs.add(r);
        }
        return m;
    }

    /** The plaintext throughput target against {@code baseline}: 1.15x Netty epoll, 1.5x the NIO.2 server. */
    static double targetRatio(String baseline) {
        return switch (baseline) {
            case "netty-epoll" -> 1.15;
            case "nio2" -> 1.5;
            default -> Double.NaN;
        };
    }

    /** Medians of req/s, p50, p99, CPU over the successful runs (NaN when none). */
    static double[] medians(List<Result> rs) {
        double[] m = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        if (rs == null) { return m; }
        List<Result> ok = rs.stream().filter(Result::ok).toList();
        if (ok.isEmpty()) { return m; }
        m[0] = median(ok.stream().mapToDouble(Result::rps).toArray());
        m[1] = median(ok.stream().mapToDouble(Result::p50ms).toArray());
        m[2] = median(ok.stream().mapToDouble(Result::p99ms).toArray());
        m[3] = median(ok.stream().mapToDouble(Result::cpuPct).toArray());
        return m;
    }

    /**
     * The headline figure of one run: requests (or echo round trips) per second of server CPU, req/s divided by the
     * server's CPU in cores (NaN when the CPU was not measured or is zero).
     */
    static double perCpuSecond(Result r) {
        if (!(r.cpuPct() > 0) || Double.isInfinite(r.cpuPct())) { return Double.NaN; }
        return r.rps() * 100 / r.cpuPct();
    }

    /** Median over the successful runs of {@link #perCpuSecond} (NaN when none has a CPU figure). */
    static double medianPerCpuSecond(List<Result> rs) {
        if (rs == null) { return Double.NaN; }
        return median(rs.stream().filter(Result::ok).mapToDouble(RunAnalysis::perCpuSecond).toArray());
    }

    /** The headline table's column of a server: its name without "-echo" (pxj-echo's echo rows go under pxj). */
    static String column(String server) {
        return server.endsWith("-echo") ? server.substring(0, server.length() - "-echo".length()) : server;
    }

    /** The servers PxJ is compared with in the headline table's ratio columns, when they ran. */
    static final List<String> ANCHORS = List.of("nginx", "netty-epoll", "epoll-floor");

    /**
     * The report's headline: per configuration (rows, titled by {@code titles}), each server's requests per second of
     * server CPU (median over rounds, in thousands), then PxJ's ratio to each of {@link #ANCHORS} that ran (median of
     * same-round ratios). A server's "-echo" process shares its HTTP server's column.
     */
    static String headlineTable(Map<String, Map<String, List<Result>>> results, Map<String, String> titles) {
        List<String> columns = new ArrayList<>();
        for (Map<String, List<Result>> byServer : results.values()) {
            for (String s : byServer.keySet()) { if (!columns.contains(column(s))) { columns.add(column(s)); } }
        }
        List<String> anchors = ANCHORS.stream().filter(columns::contains).toList();
        boolean pxj = columns.contains("pxj");
        StringBuilder t = new StringBuilder("| configuration |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String c : columns) {
            t.append(' ').append(c).append(" |");
            rule.append("--:|");
        }
        if (pxj) {
            for (String a : anchors) {
                t.append(" pxj ÷ ").append(a).append(" |");
                rule.append("--:|");
            }
        }
        t.append('\n').append(rule).append('\n');
        for (Map.Entry<String, Map<String, List<Result>>> e : results.entrySet()) {
            Map<String, List<Result>> byColumn = new LinkedHashMap<>();
            e.getValue().forEach((server, rs) -> byColumn.put(column(server), rs));
            t.append("| ").append(titles.getOrDefault(e.getKey(), e.getKey())).append(" |");
            for (String c : columns) {
                double v = medianPerCpuSecond(byColumn.get(c));
                t.append(' ').append(Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.1fk", v / 1000))
                        .append(" |");
            }
            if (pxj) {
                for (String a : anchors) {
                    double r = medianRoundRatio(byColumn.get("pxj"), byColumn.get(a), RunAnalysis::perCpuSecond);
                    t.append(' ').append(Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f", r)).append(" |");
                }
            }
            t.append('\n');
        }
        return t.toString();
    }

    /** A per-CPU target: PxJ's server ({@code pxj} or {@code pxj-echo}) at least {@code ratio} times an anchor's. */
    record EfficiencyTarget(String config, String server, String anchor, double ratio) {}

    /** The efficiency targets: plaintext and /json against nginx, echo against Netty epoll, churn against nginx. */
    static final List<EfficiencyTarget> EFFICIENCY_TARGETS = List.of(
            new EfficiencyTarget("plaintext-c64", "pxj", "nginx", 1.05),
            new EfficiencyTarget("plaintext-c256", "pxj", "nginx", 1.05),
            new EfficiencyTarget("json", "pxj", "nginx", 1.05),
            new EfficiencyTarget("echo-64x64B", "pxj-echo", "netty-epoll", 1.10),
            new EfficiencyTarget("churn-c32", "pxj", "nginx", 0.90));

    /**
     * One line per {@link #EFFICIENCY_TARGETS} entry whose configuration ran with both servers: the median of
     * same-round ratios of requests per server-CPU-second, and whether it meets the target.
     */
    static String efficiencyTargets(Map<String, Map<String, List<Result>>> results) {
        StringBuilder t = new StringBuilder();
        for (EfficiencyTarget g : EFFICIENCY_TARGETS) {
            Map<String, List<Result>> byServer = results.get(g.config());
            if (byServer == null || !byServer.containsKey(g.server()) || !byServer.containsKey(g.anchor())) {
                continue;
            }
            double r = medianRoundRatio(byServer.get(g.server()), byServer.get(g.anchor()), RunAnalysis::perCpuSecond);
            t.append(String.format(Locale.ROOT,
                    "efficiency target: %s >= %.2fx %s requests per server-CPU-second on %s (median per-round "
                    + "ratio): %s%n", g.server(), g.ratio(), g.anchor(), g.config(),
                    Double.isNaN(r) ? "not measured"
                    : String.format(Locale.ROOT, "%.2fx, %s", r, r >= g.ratio() ? "met" : "MISSED")));
        }
        return t.toString();
    }

    /** Server CPU microseconds per request of one run (CPU % of one core x 10,000 / req/s). */
    static double cpuUsPerRequest(Result r) {
        return r.cpuPct() * 10_000 / r.rps();
    }

    /**
     * The ratio a/b of {@code f} in each round where both runs succeeded (lists are indexed by round: every round
     * adds one result per server, failed or not), skipping NaN or zero denominators.
     */
    static double[] roundRatios(List<Result> a, List<Result> b, java.util.function.ToDoubleFunction<Result> f) {
        if (a == null || b == null) { return new double[0]; }
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Result x = a.get(i), y = b.get(i);
            if (!x.ok() || !y.ok()) { continue; }
            double u = f.applyAsDouble(x), v = f.applyAsDouble(y);
            if (Double.isNaN(u) || Double.isNaN(v) || Double.isInfinite(u) || Double.isInfinite(v) || v == 0) {
                continue;
            }
            r.add(u / v);
        }
        return r.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The median over rounds of the same-round ratio a/b (NaN when no round has both). */
    static double medianRoundRatio(List<Result> a, List<Result> b, java.util.function.ToDoubleFunction<Result> f) {
        return median(roundRatios(a, b, f));
    }
}

package io.pxj.bench;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.pxj.bench.BenchModel.Config;
import io.pxj.bench.BenchModel.Result;
import io.pxj.bench.BenchModel.Server;
import io.pxj.bench.HarnessOptions.Options;

/**
 * The report's header and results tables as text, from the options and one run's results: the harness prints them
 * and writes them to {@code latest.md}. Numbers are formatted in {@link Locale#ROOT}; a figure that is not a number
 * shows as {@code -}.
 *
 * <p>Threading: not thread-safe; only the harness thread uses it, and gives it the {@code note} sink for the
 * report's notes.
 */
final class Report {
    private final Options opt;
    private final Consumer<String> note;

    /** {@code note} receives the lines for the report's notes, in the order they arise. */
    Report(Options opt, Consumer<String> note) {
        this.opt = opt;
        this.note = note;
    }

    /** The report's first lines: date, machine, pinning, method, load clients. */
    String header() {
        StringBuilder h = new StringBuilder();
        h.append("# PxJ "
                + "benchmark, ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0,
                19))
                .append(opt.quick ? " (--quick)" : "").append("\n\n");
        h.append(String.format(Locale.ROOT, "machine: %d cores (%s), %s %s, %s%n",
                Runtime.getRuntime().availableProcessors(), SystemProbe.cpuModel(), System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")));
        h.append("pinning: ").append(pinDescription()).append('\n');
        h.append(String.format(Locale.ROOT,
                "method: %d interleaved round(s) x %d s per run after %d s warm-up; medians over rounds; "
                + "server JVM flags: %s; load average at start: %s%n", opt.rounds, opt.duration, opt.warmup,
                opt.serverJvmArgs.trim(), SystemProbe.loadAverage()));
        h.append(String.format(Locale.ROOT, "load clients: HTTP %s (churn: ab), echo %s%s%n",
                opt.httpClient.equals("load") ? "the demo's 'load http' (closed loop, --threads as wrk's -t)" : "wrk",
                "the demo's 'load echo' or io.pxj.bench.EchoLoad (chosen below)",
                opt.clientWarmup > 0 ? "; the demo's load client leaves its first " + opt.clientWarmup
                + " s out of its table (client JIT warm-up)" : ""));
        return h.toString();
    }

    /** "server on CPU 1, clients on CPU 0 (taskset)" or "not pinned: client and server share all CPUs (why)". */
    String pinDescription() {
        if (opt.pin != null) { return opt.pin.describe() + " (taskset)"; }
        return "not pinned: client and server share all CPUs (" + opt.pinOffReason + ")";
    }

    /**
     * The results: the headline table, the efficiency targets, the table of every measured figure with its ratio to
     * {@code baseline}, and the throughput targets. A server's first failed run goes to the notes.
     */
    String table(List<Config> configs, List<Server> live, Map<String, Map<String, List<Result>>> results,
            String baseline) {
        StringBuilder t = new StringBuilder();
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, Map<String, List<Result>>> inOrder = new LinkedHashMap<>();
        for (Config c : configs) {
            if (!results.containsKey(c.id())) { continue; }
            titles.put(c.id(), title(c));
            inOrder.put(c.id(), results.get(c.id()));
        }
        t.append("\nHeadline: requests (echo: round trips) per second of server CPU, in thousands: req/s divided by "
                + "the server's CPU in cores (nginx: master and worker), median over rounds; pxj ÷ X: median over "
                + "rounds of the same-round ratio. Higher is better.\n\n");
        t.append(RunAnalysis.headlineTable(inOrder, titles));
        t.append(RunAnalysis.efficiencyTargets(inOrder));
        t.append("\nValues are medians over rounds. Each x is the median over rounds of the ratio to ").append(baseline)
                .append(" measured in the same round (robust to the machine's speed drifting between rounds; with 1 "
                + "round it is")
                .append(" simply the ratio). req/s: higher is better; latency, CPU: lower is better. Server CPU % is "
                + "% of one core")
                .append(opt.pin != null ? " (a server pinned to one CPU can use at most 100 %)"
                : " (200 % = two cores)")
                .append("; req/CPU-s = requests per second of server CPU (req/s ÷ server CPU in cores), the headline;"
                + " client CPU % = the load client's CPU")
                .append(" over its own lifetime (a Java client's includes its JVM start; near 100 % per client CPU "
                + "means the client, not")
                .append(" the server, was the limit). p50/p99: closed-loop latency at saturation")
                .append(" as the load client saw it").append(opt.pin != null
                ? " (on its own CPU(s), not competing with the server)" : "")
                .append(".\n\n");
        t.append("| configuration | server | req/CPU-s | x | req/s | x | p50 ms | x | p99 ms | x | server CPU % | x "
                + "| client CPU % | ok |\n");
        t.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Config c : configs) {
            Map<String, List<Result>> byServer = results.getOrDefault(c.id(), Map.of());
            List<Result> base = byServer.get(baseline);
            for (Server s : live) {
                if (!BenchModel.applies(s, c)) { continue; }
                List<Result> rs = byServer.get(s.name);
                if (rs == null) { continue; }
                double[] m = RunAnalysis.medians(rs);
                long ok = rs.stream().filter(Result::ok).count();
                t.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n",
                        title(c), s.name,
                        num(RunAnalysis.medianPerCpuSecond(rs), 0),
                        ratio(RunAnalysis.medianRoundRatio(rs, base, RunAnalysis::perCpuSecond)),
                        num(m[0], 0), ratio(RunAnalysis.medianRoundRatio(rs, base, Result::rps)),
                        num(m[1], 3), ratio(RunAnalysis.medianRoundRatio(rs, base, Result::p50ms)),
                        num(m[2], 3), ratio(RunAnalysis.medianRoundRatio(rs, base, Result::p99ms)),
                        num(m[3], 0), ratio(RunAnalysis.medianRoundRatio(rs, base, Result::cpuPct)),
                        num(Ordering.median(rs.stream().filter(Result::ok).mapToDouble(Result::clientCpuPct).filter(v
                        -> !Double.isNaN(v)).toArray()), 0),
                        ok, rs.size()));
                if (ok < rs.size()) {
                    for (Result r : rs) {
                        if (!r.ok()) {
                            note.accept(c.id() + " / " + s.name + ": " + r.error());
                            break;
                        }
                    }
                }
            }
        }
        for (String id : List.of("plaintext-c64", "plaintext-c256")) {
            Map<String, List<Result>> byServer = results.get(id);
            if (byServer == null || !byServer.containsKey("pxj") || baseline.equals("pxj")) { continue; }
            double r = RunAnalysis.medianRoundRatio(byServer.get("pxj"), byServer.get(baseline), Result::rps);
            double goal = RunAnalysis.targetRatio(baseline);
            if (Double.isNaN(goal)) {
                continue; // targets exist only against Netty epoll (Linux) and NIO.2 (Windows)
            }
            t.append(String.format(Locale.ROOT,
                    "%nthroughput target: pxj >= %.2fx %s req/s on %s (median per-round ratio): %s", goal, baseline, id,
                    Double.isNaN(r) ? "not measured"
                    : String.format(Locale.ROOT, "%.2fx, %s", r, r >= goal ? "met" : "MISSED")));
        }
        if (t.charAt(t.length() - 1) != '\n') { t.append('\n'); }
        return t.toString();
    }

    /** A configuration's title as run: the HTTP client's name in place of wrk's when it is the demo's load. */
    private String title(Config c) {
        return c.echo() || c.churn() ? c.title() : c.title().replace("wrk", opt.httpClient);
    }

    private static String num(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) { return "-"; }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) { return "-"; }
        return String.format(Locale.ROOT, r < 0.1 ? "%.3f" : "%.2f", r);
    }}

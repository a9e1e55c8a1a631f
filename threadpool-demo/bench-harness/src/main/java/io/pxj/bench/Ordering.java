package io.pxj.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pxj.bench.BenchModel.Result;

import static io.pxj.bench.RunAnalysis.roundRatios;

/**
 * Orders each configuration's servers with ties by the report's headline, requests per second of server CPU
 * ({@link RunAnalysis#perCpuSecond}): one server is ahead of another only if it beat it by more than
 * {@link #MIN_BAND} in every round both completed. Also reads ordering.txt back and compares two runs' orderings pair
 * by pair.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
final class Ordering {
    private Ordering() {
    }

    /** The margin by which one server must beat another in every round to be ordered ahead of it. */
    static final double MIN_BAND = 0.03;

    /**
     * Whether {@code a} and {@code b} are indistinguishable: unless one beat the other by more than 3 % in every
     * round both completed (same-round ratios all above 1.03, or all below 1 / 1.03), they tie. Judged round
     * by round, as the x columns are, because the machine's speed moves between rounds (runs here land at ~118k or
     * ~95k req/s whatever the server), and by every round rather than by a median, because separate server launches
     * also differ (JIT decisions): with 3 rounds a median lets one lucky round decide. Without a common round the
     * medians are compared against 3 %.
     */
    static boolean ties(List<Result> a, List<Result> b) {
        return ahead(a, b) == 0;
    }

    /**
     * 1 if {@code a} beat {@code b} by more than {@link #MIN_BAND} in every common round, -1 if b beat a so, else 0.
     */
    static int ahead(List<Result> a, List<Result> b) {
        double[] r = roundRatios(a, b, RunAnalysis::perCpuSecond);
        if (r.length == 0) { r = new double[] {medianScore(a) / medianScore(b)}; }
        if (Arrays.stream(r).allMatch(x -> x > 1 + MIN_BAND)) { return 1; }
        if (Arrays.stream(r).allMatch(x -> x < 1 / (1 + MIN_BAND))) { return -1; }
        return 0;
    }

    private static double medianScore(List<Result> rs) {
        return median(rs.stream().filter(Result::ok).mapToDouble(RunAnalysis::perCpuSecond).toArray());
    }

    /** Every pair one server of the configuration is {@link #ahead} of, as "a > b". */
    static java.util.Set<String> strictPairs(Map<String, List<Result>> byServer) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        List<String> names = new ArrayList<>(scores(byServer).keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                int w = ahead(byServer.get(names.get(i)), byServer.get(names.get(j)));
                if (w > 0) { out.add(names.get(i) + " > " + names.get(j)); }
                if (w < 0) { out.add(names.get(j) + " > " + names.get(i)); }
            }
        }
        return out;
    }

    /**
     * Each server's place for sorting: the median over rounds of its requests per server-CPU-second divided by that
     * round's geometric mean over all servers (every round's speed divides out; a server's failed rounds, and runs
     * without a CPU figure, are skipped).
     */
    static Map<String, Double> scores(Map<String, List<Result>> byServer) {
        int rounds = byServer.values().stream().mapToInt(List::size).max().orElse(0);
        double[] norm = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double logSum = 0;
            int n = 0;
            for (List<Result> rs : byServer.values()) {
                double v = i < rs.size() && rs.get(i).ok() ? RunAnalysis.perCpuSecond(rs.get(i)) : Double.NaN;
                if (v > 0 && !Double.isInfinite(v)) {
                    logSum += Math.log(v);
                    n++;
                }
            }
            norm[i] = n == 0 ? Double.NaN : Math.exp(logSum / n);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Result>> e : byServer.entrySet()) {
            List<Result> rs = e.getValue();
            double[] v = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                double x = rs.get(i).ok() ? RunAnalysis.perCpuSecond(rs.get(i)) : Double.NaN;
                v[i] = x > 0 && !Double.isInfinite(x) ? x / norm[i] : Double.NaN;
            }
            double m = median(v);
            if (!Double.isNaN(m)) { out.put(e.getKey(), m); }
        }
        return out;
    }

    /**
     * One configuration's servers, most efficient first by {@link #scores score} (requests per server-CPU-second
     * relative to each round), in groups of
     * servers that tie: the fastest server not yet placed opens a group, every following server that {@link #ties ties}
     * with that first server joins it, and the first one that does not opens the next group. Servers without a
     * successful run
     * are left out.
     */
    static List<List<String>> ordering(Map<String, List<Result>> byServer) {
        Map<String, Double> score = scores(byServer);
        List<String> names = new ArrayList<>(score.keySet());
        names.sort(java.util.Comparator.comparingDouble((String n) -> -score.get(n)).thenComparing(n -> n));
        List<List<String>> groups = new ArrayList<>();
        List<String> group = null;
        for (String n : names) {
            if (group != null && ties(byServer.get(group.get(0)), byServer.get(n))) {
                group.add(n);
            } else {
                group = new ArrayList<>(List.of(n));
                groups.add(group);
            }
        }
        return groups;
    }

    /** "plaintext-c64: pxj > netty-epoll = netty-io_uring > nio2" (the line format of ordering.txt). */
    static String orderingLine(String config, List<List<String>> groups) {
        StringBuilder b = new StringBuilder(config).append(":");
        for (int i = 0; i < groups.size(); i++) {
            b.append(i == 0 ? " " : " > ").append(String.join(" = ", groups.get(i)));
        }
        return b.toString();
    }

    /** Reads ordering.txt lines back (blank lines and # comments skipped). */
    static Map<String, List<List<String>>> parseOrdering(List<String> lines) {
        Map<String, List<List<String>>> m = new LinkedHashMap<>();
        for (String l : lines) {
            l = l.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("+")) { continue; }
            int colon = l.indexOf(':');
            if (colon < 0) { continue; }
            List<List<String>> groups = new ArrayList<>();
            String rest = l.substring(colon + 1).strip();
            if (!rest.isEmpty()) {
                for (String g : rest.split("\\s*>\\s*")) { groups.add(List.of(g.strip().split("\\s*=\\s*"))); }
            }
            m.put(l.substring(0, colon).strip(), groups);
        }
        return m;
    }

    /** The "+ config: a > b; c > d" line of ordering.txt that records a configuration's strict pairs. */
    static String pairsLine(String config, java.util.Set<String> pairs) {
        return "+ " + config + ": " + String.join("; ", pairs);
    }

    /**
     * The strict pairs per configuration of an ordering.txt: its "+ config:" lines, or, for a configuration that has
     * none (a file from before they were written), every pair in different groups of its ordering line.
     */
    static Map<String, java.util.Set<String>> parsePairs(List<String> lines) {
        Map<String, java.util.Set<String>> m = new LinkedHashMap<>();
        for (String l : lines) {
            l = l.strip();
            if (!l.startsWith("+")) { continue; }
            int colon = l.indexOf(':');
            if (colon < 0) { continue; }
            java.util.Set<String> pairs = new java.util.TreeSet<>();
            for (String p : l.substring(colon + 1).split(";")) {
                if (!p.isBlank()) {
                    pairs.add(String.join(" > ", p.strip().split("\\s*>\\s*")));
                }
            }
            m.put(l.substring(1, colon).strip(), pairs);
        }
        for (Map.Entry<String, List<List<String>>> e : parseOrdering(lines).entrySet()) {
            m.computeIfAbsent(e.getKey(), k -> pairsOf(e.getValue()));
        }
        return m;
    }

    /** Every pair that an ordering line puts in different groups, as "a > b". */
    static java.util.Set<String> pairsOf(List<List<String>> groups) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                for (String a : groups.get(i)) { for (String b : groups.get(j)) { out.add(a + " > " + b); } }
            }
        }
        return out;
    }

    /**
     * Compares this run's strict pairs with the previous run's: "ordering vs the previous run: agrees (N
     * configurations)" or one line per contradicting configuration. A contradiction is "a > b" in one run and
     * "b > a" in the other; a pair ordered in only one run (a tie in the other) is compatible.
     */
    static Agreement comparePairs(Map<String, java.util.Set<String>> now, Map<String, java.util.Set<String>> before) {
        Map<String, List<String>> bad = new LinkedHashMap<>();
        int common = 0, n = 0;
        for (Map.Entry<String, java.util.Set<String>> e : now.entrySet()) {
            java.util.Set<String> prev = before.get(e.getKey());
            if (prev == null) { continue; }
            common++;
            for (String p : e.getValue()) {
                String[] ab = p.split(" > ");
                if (prev.contains(ab[1] + " > " + ab[0])) {
                    bad.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(p + " now, " + ab[1] + " > " + ab[0]
                            + " before");
                    n++;
                }
            }
        }
        if (common == 0) { return new Agreement("ordering vs the previous run: no configuration in common\n", 0); }
        if (bad.isEmpty()) {
            return new Agreement(String.format(Locale.ROOT,
                    "ordering vs the previous run: agrees (%d configuration%s)%n", common,
                    common == 1 ? "" : "s"), 0);
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "ordering vs the previous run: CONTRADICTS in %d of %d configuration%s%n",
                bad.size(), common, common == 1 ? "" : "s"));
        bad.forEach((c, l) -> b.append("  ").append(c).append(": ").append(String.join("; ", l)).append('\n'));
        return new Agreement(b.toString(), n);
    }

    /** The comparison's report text and the number of contradicting pairs. */
    record Agreement(String text, int contradictions) {}

    static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (s.length == 0) { return Double.NaN; }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

package io.pxj.demo.load;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/** Formats the load generator's progress lines and final table (pure; latencies recorded in nanoseconds). */
public final class LoadReport {
    private LoadReport() {}

    /** {@code "  3s   12,345 req/s  p50   0.210 ms  p99   1.234 ms  errors 0  conns 10/10"}. */
    public static String progress(long elapsedSeconds, Histogram interval, double seconds, long errors,
                                  int connected, int connections) {
        double rate = interval.getTotalCount() / Math.max(1e-9, seconds);
        return String.format(Locale.ROOT, "%4ds %,10.0f req/s   p50 %s   p99 %s   errors %,d   conns %d/%d",
                elapsedSeconds, rate, ms(interval, 50), ms(interval, 99), errors, connected, connections);
    }

    /** The percentile table: one row per histogram ({@code uncorrected} may be null). */
    public static String latencyTable(Histogram corrected, Histogram uncorrected) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  %-22s %9s %9s %9s %9s %9s %9s%n", "latency (ms)", "p50", "p90", "p99",
                "p99.9", "max", "mean"));
        row(b, uncorrected == null ? "all requests" : "corrected (from intent)", corrected);
        if (uncorrected != null) { row(b, "uncorrected (service)", uncorrected); }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Histogram h) {
        if (h.getTotalCount() == 0) {
            b.append(String.format(Locale.ROOT, "  %-22s %9s%n", name, "(no responses)"));
            return;
        }
        b.append(String.format(Locale.ROOT, "  %-22s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f%n", name,
                pct(h, 50), pct(h, 90), pct(h, 99), pct(h, 99.9), h.getMaxValue() / 1e6, h.getMean() / 1e6));
    }

    private static double pct(Histogram h, double p) {
        return h.getValueAtPercentile(p) / 1e6;
    }

    private static String ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? "      - ms" : String.format(Locale.ROOT, "%7.3f ms", pct(h, p));
    }

    /** {@code 12.3 MB}. */
    public static String bytes(long n) {
        if (n < 1024) { return n + " B"; }
        if (n < 1024 * 1024) { return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0); }
        if (n < 1024L * 1024 * 1024) { return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024)); }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}

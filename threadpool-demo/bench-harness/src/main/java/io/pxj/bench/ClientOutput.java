package io.pxj.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pxj.bench.BenchModel.Result;

import static io.pxj.bench.SystemProbe.lastLines;

/**
 * Reads the load clients' final reports into one {@link Result} each: wrk's (req/s, latency percentiles, socket errors,
 * non-2xx responses) and the summary table of the demo's {@code load echo|http} (which EchoLoad prints too); a
 * finished client process is a {@link Run}.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
final class ClientOutput {
    private ClientOutput() {
    }

    private static final Pattern WRK_RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_PCT = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern WRK_ERRORS
            = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern WRK_NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern WRK_TOTAL = Pattern.compile("(\\d+) requests in ");

    static Result parseWrk(String out) {
        Matcher m = WRK_RPS.matcher(out);
        if (!m.find()) { return Result.failed("no Requests/sec in wrk output: " + lastLines(out, 2)); }
        double rps = Double.parseDouble(m.group(1));
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher pm = WRK_PCT.matcher(out);
        while (pm.find()) {
            double v = Double.parseDouble(pm.group(2));
            double ms = switch (pm.group(3)) {
                case "us" -> v / 1000;
                case "ms" -> v;
                case "s" -> v * 1000;
                default -> v * 60_000;
            };
            if (ms == 0) { ms = Double.NaN; } // wrk prints 0 when it kept no latency sample for that bucket
            if (pm.group(1).equals("50")) { p50 = ms; }
            else { p99 = ms; }
        }
        Matcher t = WRK_TOTAL.matcher(out);
        long total = t.find() ? Long.parseLong(t.group(1)) : -1;
        Matcher n = WRK_NON2XX.matcher(out);
        if (n.find() && Long.parseLong(n.group(1)) > 0) {
            return Result.failed(n.group(1) + " non-2xx responses of " + total);
        }
        Matcher e = WRK_ERRORS.matcher(out);
        if (e.find()) {
            long errs = Long.parseLong(e.group(1)) + Long.parseLong(e.group(2)) + Long.parseLong(e.group(3))
                    + Long.parseLong(e.group(4));
            // A few timeouts/resets at the end of a run are normal for wrk; a lot mean the numbers are wrong.
            if (total > 0 && errs > total / 100 + 10) {
                return Result.failed("wrk: " + e.group() + " for " + total + " requests");
            }
        }
        if (total == 0 || rps == 0) { return Result.failed("no responses"); }
        return new Result(rps, p50, p99, Double.NaN, null);
    }

    private static final Pattern LOAD_TOTAL
            = Pattern.compile("requests completed\\s+([0-9,]+) in ([0-9.]+) s = ([0-9,.]+) req/s");
    private static final Pattern LOAD_ROW
            = Pattern.compile("^\\s*(?:all requests|corrected \\(from "
            + "intent\\))\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)",
            Pattern.MULTILINE);
    private static final Pattern LOAD_ERRORS = Pattern.compile("^\\s*errors\\s+([0-9,]+)\\s*$", Pattern.MULTILINE);
    private static final Pattern LOAD_STATUS = Pattern.compile(
            "^\\s*status\\s+1xx ([0-9,]+)\\s+2xx ([0-9,]+)\\s+3xx ([0-9,]+)\\s+4xx ([0-9,]+)\\s+5xx "
            + "([0-9,]+)\\s+other ([0-9,]+)\\s*$",
            Pattern.MULTILINE);

    /**
     * The final table of the demo's {@code load echo|http} (EchoLoad prints the same lines): req/s, p50 and p99 of
     * the "all requests" row (or "corrected" at a fixed rate), errors, and for HTTP the status classes (any non-2xx
     * fails the run, as with wrk). Only the summary counts: progress lines and warm-up lines above it are ignored.
     */
    static Result parseLoad(String out) {
        int summary = out.lastIndexOf("requests completed");
        if (summary >= 0) { out = out.substring(out.lastIndexOf('\n', summary) + 1); }
        Matcher m = LOAD_TOTAL.matcher(out);
        if (!m.find()) { return Result.failed("no summary in load output: " + lastLines(out, 3)); }
        long count = Long.parseLong(m.group(1).replace(",", ""));
        double rps = Double.parseDouble(m.group(3).replace(",", ""));
        Matcher r = LOAD_ROW.matcher(out);
        if (!r.find()) { return Result.failed("no latency row in load output"); }
        double p50 = Double.parseDouble(r.group(1));
        double p99 = Double.parseDouble(r.group(3));
        Matcher e = LOAD_ERRORS.matcher(out);
        if (e.find()) {
            long errs = Long.parseLong(e.group(1).replace(",", ""));
            if (errs > count / 100 + 10) { return Result.failed(errs + " errors for " + count + " round trips"); }
        }
        Matcher st = LOAD_STATUS.matcher(out);
        if (st.find()) {
            long non2xx = 0;
            for (int g : new int[] {1, 3, 4, 5, 6}) { non2xx += Long.parseLong(st.group(g).replace(",", "")); }
            if (non2xx > 0) { return Result.failed(non2xx + " non-2xx responses of " + count); }
        }
        if (count == 0) { return Result.failed("no round trips"); }
        return new Result(rps, p50, p99, Double.NaN, null);
    }

    private static final Pattern AB_COMPLETE = Pattern.compile("^Complete requests:\\s+(\\d+)", Pattern.MULTILINE);
    private static final Pattern AB_FAILED = Pattern.compile("^Failed requests:\\s+(\\d+)", Pattern.MULTILINE);
    private static final Pattern AB_NON2XX = Pattern.compile("^Non-2xx responses:\\s+(\\d+)", Pattern.MULTILINE);
    private static final Pattern AB_RPS = Pattern.compile("^Requests per second:\\s+([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern AB_PCT = Pattern.compile("^\\s*(50|99)%\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /**
     * ApacheBench's report (the churn configuration): req/s, the 50 % and 99 % rows of its percentile table (whole
     * milliseconds; 0, "under 1 ms", becomes NaN as wrk's empty buckets do), failed requests (more than 1 % fail the
     * run) and non-2xx responses (any fails it).
     */
    static Result parseAb(String out) {
        Matcher m = AB_RPS.matcher(out);
        Matcher c = AB_COMPLETE.matcher(out);
        if (!m.find() || !c.find()) {
            return Result.failed("no Requests per second in ab output: " + lastLines(out, 2));
        }
        long complete = Long.parseLong(c.group(1));
        double rps = Double.parseDouble(m.group(1));
        Matcher n = AB_NON2XX.matcher(out);
        if (n.find() && Long.parseLong(n.group(1)) > 0) {
            return Result.failed(n.group(1) + " non-2xx responses of " + complete);
        }
        Matcher f = AB_FAILED.matcher(out);
        long failed = f.find() ? Long.parseLong(f.group(1)) : 0;
        if (failed > complete / 100 + 10) { return Result.failed("ab: " + failed + " failed of " + complete); }
        if (complete == 0 || rps == 0) { return Result.failed("no responses"); }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher pm = AB_PCT.matcher(out);
        while (pm.find()) {
            double ms = Double.parseDouble(pm.group(2));
            if (ms == 0) { ms = Double.NaN; }
            if (pm.group(1).equals("50")) { p50 = ms; }
            else { p99 = ms; }
        }
        return new Result(rps, p50, p99, Double.NaN, null);
    }

    /** A finished load-generator process: its output and how to read it. */
    record Run(String output, int exit, boolean echoFormat, boolean clientWarmup, double clientCpuPct) {
        Run(String output, int exit, boolean echoFormat, boolean clientWarmup) {
            this(output, exit, echoFormat, clientWarmup, Double.NaN);
        }

        Result parse() {
            if (exit != 0) { return Result.failed("exit " + exit + ": " + lastLines(output, 2)); }
            return echoFormat ? parseLoad(output) : parseWrk(output);
        }

        /** As {@link #parse()}, for ApacheBench's report. */
        Result parseAb() {
            if (exit != 0) { return Result.failed("exit " + exit + ": " + lastLines(output, 2)); }
            return ClientOutput.parseAb(output);
        }
    }
}

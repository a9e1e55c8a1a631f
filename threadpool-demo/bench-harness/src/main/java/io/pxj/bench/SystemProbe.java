package io.pxj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What the harness reads from the machine: a process's CPU ticks from /proc, the clock tick, the CPU model, the load
 * average and log tails; and a sleep that turns interruption into an exception.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
final class SystemProbe {
    private SystemProbe() {
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long clockTicks() {
        if (!Files.isDirectory(Path.of("/proc"))) { return 100; }
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(s);
        } catch (IOException | RuntimeException | InterruptedException e) {
            return 100;
        }
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) { return l.substring(l.indexOf(':') + 1).trim(); }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        String win = System.getenv("PROCESSOR_IDENTIFIER");
        return win != null ? win : "unknown CPU";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String tail(Path log, int n) {
        try {
            return lastLines(Files.readString(log), n).replace('\n', ' ');
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static String lastLines(String s, int n) {
        String[] lines = s.strip().split("\n");
        return String.join(" | ", Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

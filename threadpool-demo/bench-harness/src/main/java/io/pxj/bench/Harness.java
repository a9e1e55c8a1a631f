package io.pxj.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.pxj.bench.BenchModel.Config;
import io.pxj.bench.BenchModel.Result;
import io.pxj.bench.BenchModel.Server;
import io.pxj.bench.ClientOutput.Run;
import io.pxj.bench.HarnessOptions.Options;
import io.pxj.bench.RunAnalysis.OrderingSection;

/**
 * The benchmark orchestrator behind {@code run-bench.sh}: starts every server on loopback (on Linux also the two
 * anchors of {@link Anchors}: nginx and the epoll floor), warms each up, runs interleaved rounds (every configuration
 * against every server, then the next round) with an HTTP load client (wrk, or the demo's {@code load http}; ab for
 * the churn configuration) and an echo load generator, samples each server's CPU with its descendants' (from /proc,
 * or {@link ProcessHandle} where there is none), and reports requests per second of server CPU as the headline,
 * beside medians and ratios to a baseline server (Netty epoll, or the NIO.2 server when epoll is not in the run).
 * Every process it starts is recorded in a pid file (for the shell's trap) and destroyed by a shutdown hook.
 *
 * <p>Portable mode (the default off Linux, {@code --portable} elsewhere) runs only what exists everywhere: the demo's
 * PxJ servers (on Windows with the IOCP backend), the NIO.2 server and the JDK HttpServer, without wrk's Lua
 * pipelining, with the demo's {@code load} as the HTTP client.
 *
 * <pre>java -jar pxj-bench.jar harness [--quick] [--rounds N] [--duration S] [--warmup S]
 *      [--demo-jar PATH] [--bench-jar PATH] [--out DIR] [--servers a,b,...] [--configs a,b,...]
 *      [--http-client wrk|load] [--client-warmup S] [--baseline NAME] [--portable] [--strict]
 *      [--echo-client auto|demo|bench] [--no-alloc] [--pin SERVER_CPUS:CLIENT_CPUS | --no-pin]
 *      [--strict-ordering] [--wrk PATH] [--ab PATH] [--nginx PATH] [--cc PATH] [--floor-source FILE.c]</pre>
 *
 * <p>On Linux with taskset, servers and load clients run on separate CPUs ({@link HarnessOptions.Pin}); ratios to
 * the baseline are medians of same-round ratios; each configuration's servers are ordered with ties
 * ({@link Ordering#ordering}) into ordering.txt and compared with the previous run's ({@link Ordering#comparePairs}).
 *
 * <p>The parts live beside it: {@link BenchModel} holds the servers, configurations and results,
 * {@link ServerCatalog} the servers' commands, ports and files, {@link ClientOutput} reads the load clients' reports,
 * {@link RunAnalysis} and {@link Ordering} compute the numbers and the ordering section, {@link Report} writes the
 * header and the results tables, {@link HarnessOptions} is the command line, {@link SystemProbe} reads the machine
 * and {@link ServerChecks} checks the servers. What stays here (about 580 lines) is the run itself with its state:
 * starting and stopping the processes (and the pid file), measuring, the allocation pass, the report's text and
 * notes, and the failure counts; the catalog and the report get the options and a sink for the notes when the
 * harness is made.
 *
 * <p>Threading: not thread-safe; one harness thread runs it, plus the output reader each client process gets and
 * the shutdown hook, which only reads {@code children} (a thread-safe list).
 */
public final class Harness {
    static final String BASELINE = "netty-epoll";
    static final String PORTABLE_BASELINE = "nio2";
    /** The configurations that run on every OS (no wrk Lua script); the servers: {@link ServerCatalog}. */
    static final List<String> PORTABLE_CONFIGS = List.of("plaintext-c64", "plaintext-c256", "json", "static64k",
            "echo-64x64B", "echo-1000x1KiB");
    static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private final Options opt;
    private final Path out;
    private final Path logs;
    private final Path pidFile;
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final PrintStream console = System.out;
    private final StringBuilder report = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
    private final ServerCatalog catalog;
    private final Report format; // writes the header and the results tables that go into report
    private final long clkTck = SystemProbe.clockTicks();
    private String echoClient; // "demo" or "bench"
    private String baseline = BASELINE;
    private int orderingContradictions; // pairs ordered one way here and the other way in the previous run
    // harness errors for --strict: servers that could not start or died, pxj/baseline runs that failed
    private int failures;

    private Harness(Options opt) {
        this.opt = opt;
        this.out = opt.out;
        this.logs = out.resolve("logs");
        this.pidFile = out.resolve("pids");
        this.catalog = new ServerCatalog(opt, notes::add);
        this.format = new Report(opt, notes::add);
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("harness: " + e.getMessage());
            System.err.println("(--help for the options)");
            System.exit(2);
            return;
        }
        Harness h = new Harness(o);
        Runtime.getRuntime().addShutdownHook(new Thread(h::stopAll, "harness-cleanup"));
        try {
            h.run();
        } finally {
            h.stopAll();
        }
        if (o.strict && h.failures > 0) {
            System.out.println("--strict: " + h.failures + " failure(s) (see the notes above); exit 3");
            System.exit(3);
        }
        if (o.strictOrdering && h.orderingContradictions > 0) {
            System.out.println("--strict-ordering: " + h.orderingContradictions
                    + " pair(s) ordered the other way in the previous run; exit 4");
            System.exit(4);
        }
    }

    // ---------------------------------------------------------------------------------------------- run

    private void run() throws Exception {
        Files.createDirectories(logs);
        Path orderingFile = out.resolve("ordering.txt");
        Path previousOrdering = out.resolve("ordering-previous.txt");
        if (Files.exists(orderingFile)) {
            Files.move(orderingFile, previousOrdering, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(pidFile, "");
        Files.writeString(out.resolve("runs.csv"),
                "round,config,server,req_per_s,p50_ms,p99_ms,server_cpu_pct,client_cpu_pct,error\n");
        Files.writeString(logs.resolve("runs.log"), "");
        catalog.prepareRoot();
        catalog.prepareKeystore();
        List<Server> servers = catalog.servers();
        List<Config> configs = new ArrayList<>();
        for (Config c : BenchModel.allConfigs()) {
            if (opt.configs == null ? !opt.portable || PORTABLE_CONFIGS.contains(c.id())
                    : opt.configs.contains(c.id())) {
                configs.add(c);
            }
        }

        String header = format.header();
        report.append(header);
        console.print(header);
        for (Server s : servers) { start(s); }
        servers = new ArrayList<>(servers);
        catalog.fallbacks(servers, this::start);
        List<Server> live = servers.stream().filter(s -> s.skipped == null).toList();
        for (Server s : servers) {
            if (s.skipped == null) { continue; }
            say("SKIP " + s.name + ": " + s.skipped);
            if (notes.stream().noneMatch(n -> n.startsWith(s.name + " (demo)"))) {
                notes.add(s.name + " not measured: " + s.skipped);
            }
            failures++;
        }
        if (live.isEmpty()) { throw new IllegalStateException("no server started; see " + logs); }
        baseline = opt.baseline != null ? opt.baseline
                : live.stream().anyMatch(s -> s.name.equals(BASELINE)) ? BASELINE : PORTABLE_BASELINE;
        if (live.stream().noneMatch(s -> s.name.equals(baseline))) {
            notes.add("baseline " + baseline + " is not in the run: no ratios");
        }
        StringBuilder be = new StringBuilder();
        for (Server s : live) {
            if (s.backend != null) {
                be.append(be.length() == 0 ? "" : ", ").append(s.name).append(": ").append(s.backend);
            }
        }
        if (be.length() > 0) {
            say("PxJ backends: " + be);
            report.append("PxJ I/O backends (as the servers printed them): ").append(be).append('\n');
        }
        chooseEchoClient(live, configs);

        // Warm-up: every server, every HTTP path it will see, plus echo, before any measured run.
        say(String.format(Locale.ROOT, "warm-up: %d s per server and configuration kind", opt.warmup));
        for (Server s : live) {
            for (Config c : configs) {
                if (!BenchModel.applies(s, c)) { continue; }
                if (!c.echo() && (c.id().equals("plaintext-c256"))) { continue; } // same path as plaintext-c64
                measure(s, c, Math.max(1, opt.warmup / (c.echo() ? 2 : 1)), true);
            }
        }

        // Interleaved rounds: for each round, each configuration runs against every server in turn.
        Map<String, Map<String, List<Result>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= opt.rounds; round++) {
            for (Config c : configs) {
                List<Server> order = new ArrayList<>(live);
                // A B C / B C A / C A B: nobody is always first (or always right after the heaviest).
                java.util.Collections.rotate(order, -(round - 1));
                for (Server s : order) {
                    if (!BenchModel.applies(s, c)) { continue; }
                    Result r = measure(s, c, opt.duration, false);
                    // A reference server failing under load is a result (noted below); PxJ or the baseline failing is
                    // not.
                    if (!r.ok() && (s.name.startsWith("pxj") || s.name.equals(baseline))) { failures++; }
                    Files.writeString(out.resolve("runs.csv"),
                            String.format(Locale.ROOT, "%d,%s,%s,%.1f,%.3f,%.3f,%.1f,%.1f,%s%n",
                            round, c.id(), s.name, r.rps(), r.p50ms(), r.p99ms(), r.cpuPct(), r.clientCpuPct(),
                            r.ok() ? "" : r.error().replace(',', ';')),
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    results.computeIfAbsent(c.id(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(s.name, k -> new ArrayList<>()).add(r);
                    say(String.format(Locale.ROOT, "round %d/%d  %-15s %-15s %s", round, opt.rounds, c.id(), s.name,
                            r.ok() ? String.format(Locale.ROOT,
                            "%,12.0f req/s  p50 %8.3f ms  p99 %8.3f ms  cpu %5.0f%%  client cpu %5.0f%%",
                                    r.rps(), r.p50ms(), r.p99ms(), r.cpuPct(), r.clientCpuPct())
                            : "FAILED: " + r.error()));
                }
            }
        }

        for (Server s : live) {
            if (!s.process.isAlive()) { failures++; }
            if (!s.process.isAlive()) {
                notes.add(s.name + " died during the run (exit " + s.process.exitValue() + "); see "
                        + logs.resolve(s.name + ".log"));
            }
        }
        stopServers(servers);
        String table = format.table(configs, live, results, baseline);
        report.append(table);
        report.append(orderings(configs, results, orderingFile, previousOrdering));
        if (!opt.noAlloc) { allocation(); }
        if (!notes.isEmpty()) {
            report.append("\nNotes:\n");
            for (String n : notes) { report.append("- ").append(n).append('\n'); }
        }
        report.append(String.format(Locale.ROOT, "%nload average at the end: %s%n", SystemProbe.loadAverage()));
        console.println();
        console.print(report);
        Files.writeString(out.resolve("latest.md"), report.toString());
        console.println("\n(written to " + out.resolve("latest.md") + "; every run in " + out.resolve("runs.csv")
                + ", load-generator output in " + logs.resolve("runs.log") + ")");
    }

    // ---------------------------------------------------------------------------------------------- processes

    private Process spawn(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (log != null) { pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())); }
        Process p = pb.start();
        children.add(p);
        Files.writeString(pidFile, p.pid() + "\n", StandardOpenOption.APPEND);
        return p;
    }

    private void start(Server s) {
        Path log = logs.resolve(s.name + ".log");
        try {
            Files.deleteIfExists(log);
            if (s.httpPort > 0 && ServerChecks.portInUse(s.httpPort)
                    || s.echoPort > 0 && ServerChecks.portInUse(s.echoPort)) {
                s.skipped = "port " + (s.httpPort > 0 ? s.httpPort : s.echoPort) + " already in use on 127.0.0.1";
                return;
            }
            s.skipped = catalog.prepare(s);
            if (s.skipped != null) { return; }
            s.process = spawn(ServerChecks.pinned(s.command, opt.pin == null ? null : opt.pin.server()), log);
        } catch (IOException e) {
            s.skipped = "cannot start: " + e;
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(opt.startTimeout);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!s.process.isAlive()) {
                s.skipped = "exited with " + s.process.exitValue() + " at start: " + SystemProbe.tail(log, 3);
                return;
            }
            try {
                if (s.httpPort > 0) { ServerChecks.checkHttp(s.httpPort, s.paths, BenchModel.https(s)); }
                if (s.echoPort > 0) { ServerChecks.checkEcho(s.echoPort); }
                s.backend = ServerChecks.backendName(SystemProbe.tail(log, 20));
                say(String.format(Locale.ROOT, "started %-15s pid %d%s%s", s.name, s.process.pid(),
                        s.httpPort > 0 ? "  http 127.0.0.1:" + s.httpPort : "",
                        s.echoPort > 0 ? "  echo 127.0.0.1:" + s.echoPort : ""));
                return;
            } catch (IOException e) {
                last = e.getMessage();
            }
            SystemProbe.sleep(200);
        }
        s.skipped = "not ready within " + opt.startTimeout + " s (" + last + "): " + SystemProbe.tail(log, 3);
        stop(s.process);
    }

    private void stop(Process p) {
        if (p == null || !p.isAlive()) { return; }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void stopServers(List<Server> servers) {
        for (Server s : servers) { stop(s.process); }
    }

    private void stopAll() {
        for (Process p : children) { if (p.isAlive()) { p.destroy(); } }
        for (Process p : children) { stop(p); }
    }

    // ---------------------------------------------------------------------------------------------- measuring

    private Result measure(Server s, Config c, int seconds, boolean warmup) {
        if (!s.process.isAlive()) { return Result.failed("server not running"); }
        try {
            boolean javaClient = c.echo() || !c.churn() && opt.httpClient.equals("load");
            long cpu0 = cpuNanos(s.process.pid());
            long t0 = System.nanoTime();
            Run run = c.echo() ? echo(s, c, seconds) : c.churn() ? ab(s, c, seconds)
                    : opt.httpClient.equals("load") ? loadHttp(s, c, seconds) : wrk(s, c, seconds);
            double wallSeconds = (System.nanoTime() - t0) / 1e9;
            long cpu1 = cpuNanos(s.process.pid());
            Path log = logs.resolve("runs.log");
            Files.writeString(log, String.format(Locale.ROOT, "=== %s %s %s %ds%n%s%n", warmup ? "warmup" : "run",
                    s.name, c.id(),
                    seconds, run.output()), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (warmup) { return null; }
            // CPU per second of load: the server is idle while a Java client starts, so for one divide by the load's
            // duration (with the client's warm-up, when it has one), not by the client process's wall time. wrk
            // starts in milliseconds but connects before and closes after its -d seconds, and the server works
            // through both: divide by the wall time the CPU was sampled over (a pinned server then stays <= 100 %).
            // ab stops at -t seconds or after its -n requests, whichever comes first: its own wall time.
            double loadSeconds = javaClient ? seconds + (run.clientWarmup() ? opt.clientWarmup : 0)
                    : c.churn() ? wallSeconds : Math.max(seconds, wallSeconds);
            double cpuPct = cpu0 < 0 || cpu1 < 0 ? Double.NaN : 100.0 * (cpu1 - cpu0) / 1e9 / loadSeconds;
            Result r = c.churn() ? run.parseAb() : run.parse();
            if (!r.ok()) { return r; }
            return new Result(r.rps(), r.p50ms(), r.p99ms(), cpuPct, run.clientCpuPct(), null);
        } catch (IOException | RuntimeException e) {
            return Result.failed(e.toString());
        }
    }

    private Run wrk(Server s, Config c, int seconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(opt.wrk, "-t" + c.threads(), "-c" + c.connections(), "-d" + seconds
                + "s",
                "--latency", "--timeout", "5s"));
        if (c.depth() > 1) { cmd.addAll(List.of("-s", opt.pipelineLua.toString())); }
        cmd.add((BenchModel.https(c) ? "https" : "http") + "://127.0.0.1:" + s.httpPort + c.path());
        if (c.depth() > 1) { cmd.addAll(List.of("--", Integer.toString(c.depth()))); }
        return runClient(cmd, seconds + 30, false, false);
    }

    /**
     * ApacheBench for the churn configuration: HTTP/1.0 without keep-alive, so every request is a new connection that
     * the server closes after its response. {@code -t} bounds the time; {@code -n} (ab keeps a record per request)
     * is far above what one client core reaches; {@code -r} keeps going past a reset, which then counts as failed.
     */
    private Run ab(Server s, Config c, int seconds) throws IOException {
        List<String> cmd = List.of(opt.ab, "-q", "-r", "-c", Integer.toString(c.connections()), "-t",
                Integer.toString(seconds), "-n", Integer.toString(seconds * 100_000),
                "http://127.0.0.1:" + s.httpPort + c.path());
        return runClient(cmd, seconds + 30, false, false);
    }

    /** The demo's {@code load http} (closed loop, pipelined with -p for pipeline16), the same shape as the wrk run. */
    private Run loadHttp(Server s, Config c, int seconds) throws IOException {
        if (opt.demoJar == null) {
            throw new IllegalStateException("--http-client load needs the demo jar (" + opt.demoJarHint + ")");
        }
        List<String> cmd = new ArrayList<>(javaClient());
        cmd.addAll(List.of("-jar", opt.demoJar.toString(), "load", "http", "-c", Integer.toString(c.connections()),
                "-d", Integer.toString(seconds), "-p", Integer.toString(c.depth()), "--threads",
                Integer.toString(c.threads())));
        if (opt.clientWarmup > 0) { cmd.addAll(List.of("--warmup", Integer.toString(opt.clientWarmup))); }
        if (BenchModel.https(c)) { cmd.add("--insecure"); }
        cmd.add((BenchModel.https(c) ? "https" : "http") + "://127.0.0.1:" + s.httpPort + c.path());
        return runClient(cmd, seconds + opt.clientWarmup + 60, true, opt.clientWarmup > 0);
    }

    private Run echo(Server s, Config c, int seconds) throws IOException {
        List<String> cmd = new ArrayList<>(javaClient());
        String target = "127.0.0.1:" + s.echoPort;
        if (echoClient.equals("demo")) {
            cmd.addAll(List.of("-jar", opt.demoJar.toString(), "load", "echo", "--connections",
                    Integer.toString(c.connections()),
                    "--duration", Integer.toString(seconds), "--size", Integer.toString(c.size())));
            if (opt.clientWarmup > 0) { cmd.addAll(List.of("--warmup", Integer.toString(opt.clientWarmup))); }
            cmd.add(target);
            return runClient(cmd, seconds + opt.clientWarmup + 60, true, opt.clientWarmup > 0);
        } else {
            cmd.addAll(List.of("-cp", opt.benchJar.toString(), "io.pxj.bench.EchoLoad", "--connections",
                    Integer.toString(c.connections()), "--duration", Integer.toString(seconds), "--size",
                    Integer.toString(c.size()), target));
        }
        return runClient(cmd, seconds + 60, true, false);
    }

    private List<String> javaClient() {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(Arrays.asList(opt.clientJvmArgs.trim().split("\\s+")));
        return c;
    }

    private Run runClient(List<String> cmd, int timeoutSeconds, boolean echoFormat, boolean clientWarmup)
            throws IOException {
        return runProcess(ServerChecks.pinned(cmd, opt.pin == null ? null : opt.pin.clients()), timeoutSeconds,
                echoFormat, clientWarmup);
    }

    private Run runProcess(List<String> cmd, int timeoutSeconds, boolean echoFormat, boolean clientWarmup)
            throws IOException {
        Process p = spawn(cmd, null);
        p.getOutputStream().close();
        StringBuilder text = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "client-output");
        reader.setDaemon(true);
        reader.start();
        // The client's own CPU, so the table shows whether the client or the server was the limit: /proc can only be
        // read while the process lives, so keep the last reading taken every 100 ms (the final <= 100 ms are lost).
        long[] lastCpu = {-1, 0}; // CPU ns, wall ns since start
        long started = System.nanoTime();
        try {
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(timeoutSeconds)) { break; }
                long ns = cpuNanos(p.pid());
                if (ns >= 0) {
                    lastCpu[0] = ns;
                    lastCpu[1] = System.nanoTime() - started;
                }
            }
            if (p.isAlive()) {
                stop(p);
                return new Run("timed out after " + timeoutSeconds + " s\n" + text, -1, echoFormat, clientWarmup);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            children.remove(p);
        }
        double clientCpu = lastCpu[0] < 0 || lastCpu[1] < TimeUnit.MILLISECONDS.toNanos(500) ? Double.NaN
                : 100.0 * lastCpu[0] / lastCpu[1];
        synchronized (text) {
            return new Run(text.toString(), p.exitValue(), echoFormat, clientWarmup, clientCpu);
        }
    }

    private void chooseEchoClient(List<Server> live, List<Config> configs) {
        if (configs.stream().noneMatch(Config::echo)) { return; }
        if (!opt.echoClient.equals("auto")) {
            echoClient = opt.echoClient;
        } else {
            echoClient = "bench";
            Server probe = live.stream().filter(s -> s.echoPort > 0).findFirst().orElse(null);
            if (opt.demoJar != null && probe != null) {
                echoClient = "demo";
                try {
                    Run r = echo(probe, new Config("probe", "probe", true, 0, 4, null, 1, 64), 1);
                    if (!r.parse().ok()) {
                        notes.add("echo load: the demo's 'load echo' did not work (" + r.parse().error()
                                + "); used io.pxj.bench.EchoLoad instead");
                        echoClient = "bench";
                    }
                } catch (IOException | RuntimeException e) {
                    notes.add("echo load: the demo's 'load echo' failed (" + e
                            + "); used io.pxj.bench.EchoLoad instead");
                    echoClient = "bench";
                }
            } else if (opt.demoJar == null) {
                notes.add("echo load: no demo jar, used io.pxj.bench.EchoLoad (same closed-loop method, same summary "
                        + "format)");
            }
        }
        say("echo load generator: " + (echoClient.equals("demo") ? "the demo's 'load echo'" : "io.pxj.bench.EchoLoad"));
    }

    // ---------------------------------------------------------------------------------------------- allocation

    private void allocation() {
        try {
            List<String> cmd = new ArrayList<>(javaClient());
            cmd.addAll(List.of("-cp", opt.benchJar.toString(), "io.pxj.bench.AllocBench", "--quick",
                    Boolean.toString(opt.quick)));
            Run r = runProcess(cmd, 300, false, false); // not a load client: no server runs by now, not pinned
            StringBuilder lines = new StringBuilder();
            for (String l : r.output().split("\n")) {
                if (l.startsWith("alloc")) {
                    lines.append("  ").append(l).append('\n');
                }
            }
            report.append("\nAllocation (PxJ, steady state, io.pxj.bench.AllocBench):\n");
            if (lines.length() == 0 || r.exit() != 0) { report.append("  failed (exit ").append(r.exit()).append("): ")
                    .append(SystemProbe.lastLines(r.output(), 3)).append('\n'); }
            else { report.append(lines); }
        } catch (IOException | RuntimeException e) {
            report.append("\nAllocation: failed: ").append(e).append('\n');
        }
    }

    // ---------------------------------------------------------------------------------------------- output

    /** The ordering section of the report; writes ordering.txt and compares it with ordering-previous.txt. */
    private String orderings(List<Config> configs, Map<String, Map<String, List<Result>>> results, Path file,
            Path previous) throws IOException {
        Map<String, Map<String, List<Result>>> inOrder = new LinkedHashMap<>();
        for (Config c : configs) { if (results.containsKey(c.id())) { inOrder.put(c.id(), results.get(c.id())); } }
        String header = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19) + ", "
                + opt.rounds
                + " round(s) x " + opt.duration + " s, " + format.pinDescription();
        List<String> prev = Files.exists(previous) ? Files.readAllLines(previous) : null;
        OrderingSection o = RunAnalysis.orderingSection(inOrder, header, prev);
        Files.writeString(file, o.file());
        orderingContradictions += o.contradictions();
        return prev == null ? o.text() + "ordering vs the previous run: no previous run (" + previous.getFileName()
                + " absent)\n" : o.text();
    }

    private void say(String s) {
        console.println(s);
    }

    // ---------------------------------------------------------------------------------------------- system

    /**
     * CPU time of a process and its live descendants in nanoseconds (nginx's master and its worker; a Java server or
     * a load client has none): see {@link #ownCpuNanos}; -1 when the process itself has no figure.
     */
    private long cpuNanos(long pid) {
        long own = ownCpuNanos(pid);
        if (own < 0) { return own; }
        long[] sum = {own};
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> {
            long n = ownCpuNanos(d.pid());
            if (n > 0) { sum[0] += n; }
        }));
        return sum[0];
    }

    /**
     * CPU time of one process in nanoseconds: /proc/PID/stat where there is one, else the OS's own account through
     * {@link ProcessHandle} (Windows, macOS); -1 when neither is available.
     */
    private long ownCpuNanos(long pid) {
        if (Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"))) {
            try {
                return SystemProbe.cpuTicks(pid) * 1_000_000_000L / clkTck;
            } catch (IOException | RuntimeException e) {
                // gone, or not the format we know: try the portable way
            }
        }
        return ProcessHandle.of(pid).flatMap(h
                -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

}

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
import java.util.Random;
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
 * ({@link Ordering#ordering}) into ordering.txt and compared with the previous run's ({@link #contradictions}).
 *
 * <p>The parts without state of their own live beside it: {@link BenchModel} holds the servers, configurations and
 * results, {@link ClientOutput} reads the load clients' reports, {@link RunAnalysis} and {@link Ordering} compute the
 * numbers and the ordering section, {@link HarnessOptions} is the command line, {@link SystemProbe} reads the machine
 * and {@link ServerChecks} checks the servers. What stays here (the run, its processes, measuring, the allocation pass
 * and the report) shares one run's state: the options, the child processes and pid file, the report, the notes and
 * the failure counts; split further, that state would have to be passed around or shared between classes, so this
 * class stays whole at about 760 lines.
 *
 * <p>Threading: not thread-safe; one harness thread runs it, plus the output reader each client process gets and
 * the shutdown hook, which only reads {@code children} (a thread-safe list).
 */
public final class Harness {
    static final String BASELINE = "netty-epoll";
    static final String PORTABLE_BASELINE = "nio2";
    /** The servers and configurations that run on every OS (no Netty native transports, no wrk Lua script). */
    static final List<String> PORTABLE_SERVERS = List.of("pxj", "pxj-echo", "nio2", "jdk-httpserver");
    static final List<String> PORTABLE_CONFIGS = List.of("plaintext-c64", "plaintext-c256", "json", "static64k",
            "echo-64x64B", "echo-1000x1KiB");
    static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private final int httpBase;
    private final int echoBase;

    private final Options opt;
    private final Path out;
    private final Path logs;
    private final Path www;
    private final Path pidFile;
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final PrintStream console = System.out;
    private final StringBuilder report = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
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
        this.www = out.resolve("www");
        this.pidFile = out.resolve("pids");
        this.httpBase = opt.portBase;
        this.echoBase = opt.portBase + 100;
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
        prepareRoot();
        prepareKeystore();
        List<Server> servers = servers();
        List<Config> configs = new ArrayList<>();
        for (Config c : BenchModel.allConfigs()) {
            if (opt.configs == null ? !opt.portable || PORTABLE_CONFIGS.contains(c.id())
                    : opt.configs.contains(c.id())) {
                configs.add(c);
            }
        }

        header(servers, configs);
        for (Server s : servers) { start(s); }
        servers = new ArrayList<>(servers);
        fallbacks(servers);
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
                if (!applies(s, c)) { continue; }
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
                    if (!applies(s, c)) { continue; }
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
        String table = table(configs, live, results);
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

    private static boolean applies(Server s, Config c) {
        if (BenchModel.https(c) != BenchModel.https(s)) { return false; }
        return c.echo() ? s.echoPort > 0 : s.httpPort > 0 && (s.paths == null || s.paths.contains(c.path()));
    }

    private List<Server> servers() {
        List<Server> all = new ArrayList<>();
        List<String> java = javaCommand();
        String bench = opt.benchJar.toString();
        // PxJ: the demo jar, one process per service (as a user would run it).
        if (opt.demoJar != null) {
            List<String> c = new ArrayList<>(java);
            c.addAll(List.of("-jar", opt.demoJar.toString(), "http", "--host", "127.0.0.1", "--port",
                    Integer.toString(httpBase), "--root", www.toString()));
            all.add(new Server("pxj", c, httpBase, 0));
            List<String> e = new ArrayList<>(java);
            e.addAll(List.of("-jar", opt.demoJar.toString(), "echo", "--port", Integer.toString(echoBase),
                    "--service", "echo"));
            all.add(new Server("pxj-echo", e, 0, echoBase));
        }
        int i = 1;
        for (String transport : List.of("epoll", "nio", "io_uring")) {
            boolean withEcho = transport.equals("epoll");
            List<String> c = new ArrayList<>(java);
            c.addAll(List.of("-cp", bench, "io.pxj.bench.ref.NettyServer", "--transport", transport, "--port",
                    Integer.toString(httpBase + i), "--root", www.toString()));
            if (withEcho) { c.addAll(List.of("--echo-port", Integer.toString(echoBase + i))); }
            all.add(new Server("netty-" + transport, c, httpBase + i, withEcho ? echoBase + i : 0));
            i++;
        }
        List<String> jdk = new ArrayList<>(java);
        jdk.addAll(List.of("-cp", bench, "io.pxj.bench.ref.JdkHttpServer", "--port", Integer.toString(httpBase + i),
                "--root", www.toString()));
        all.add(new Server("jdk-httpserver", jdk, httpBase + i, 0));
        i++;
        List<String> nio2 = new ArrayList<>(java);
        nio2.addAll(List.of("-cp", bench, "io.pxj.bench.ref.Nio2Server", "--port", Integer.toString(httpBase + i),
                "--echo-port", Integer.toString(echoBase + i), "--root", www.toString()));
        all.add(new Server("nio2", nio2, httpBase + i, echoBase + i));
        if (LINUX) { all.addAll(anchors()); }
        httpsServers(all, java, bench);

        all.add(pxjLib(false));
        all.add(pxjLib(true));

        if (opt.demoJar == null) { notes.add("PxJ demo skipped: demo jar not found (" + opt.demoJarHint + ")"); }
        List<Server> chosen = new ArrayList<>();
        for (Server s : all) {
            boolean lib = s.name.startsWith("pxj-lib");
            if (opt.servers == null ? !lib && (!opt.portable || PORTABLE_SERVERS.contains(s.name))
                    : opt.servers.contains(s.name) || s.name.equals("jdk-httpserver") && opt.servers.contains("jdk")) {
                chosen.add(s);
            }
        }
        return chosen;
    }

    /**
     * nginx (one worker, its configuration generated under {@code out/nginx} when it starts) and the epoll floor
     * (compiled into {@code out/epoll-floor} when it starts); ports {@code +30} and {@code +31} of the bases.
     */
    private List<Server> anchors() {
        Path prefix = out.resolve(Anchors.NGINX);
        Server nginx = new Server(Anchors.NGINX, Anchors.nginxCommand(opt.nginx, prefix), httpBase + 30, 0);
        Server floor = new Server(Anchors.FLOOR, Anchors.floorCommand(out.resolve(Anchors.FLOOR), httpBase + 31,
                echoBase + 31), httpBase + 31, echoBase + 31);
        floor.paths = Anchors.FLOOR_PATHS;
        return List.of(nginx, floor);
    }

    /** What a server needs before it starts (nginx's configuration, the floor's binary): null, or why it cannot. */
    private String prepare(Server s) {
        if (s.name.equals(Anchors.NGINX)) {
            try {
                Anchors.writeNginxConfig(out.resolve(Anchors.NGINX), s.httpPort, www);
                return null;
            } catch (IOException e) {
                return "cannot write nginx's configuration: " + e;
            }
        }
        if (s.name.equals(Anchors.FLOOR)) {
            return Anchors.buildFloor(opt.cc, opt.floorSource, out.resolve(Anchors.FLOOR));
        }
        return null;
    }

    /**
     * The HTTPS servers, with the same certificate (the harness's PKCS#12 key store, made by the JDK's keytool):
     * PxJ's demo and Netty with its SslHandler on the JDK provider (nio transport: the same JDK sockets and
     * SSLEngine as PxJ on Linux).
     */
    private void httpsServers(List<Server> all, List<String> java, String bench) {
        Path p12 = out.resolve("tls").resolve("bench.p12");
        if (opt.demoJar != null) {
            List<String> c = new ArrayList<>(java);
            c.addAll(List.of("-jar", opt.demoJar.toString(), "http", "--host", "127.0.0.1", "--port",
                    Integer.toString(httpBase + 10), "--root", www.toString(), "--index-keys", "0",
                    "--tls-keystore", p12.toString(), "--tls-password", TLS_PASSWORD));
            all.add(new Server("pxj-tls", c, httpBase + 10, 0));
        }
        List<String> n = new ArrayList<>(java);
        n.addAll(List.of("-cp", bench, "io.pxj.bench.ref.NettyServer", "--transport", "nio", "--port",
                Integer.toString(httpBase + 11), "--root", www.toString(), "--tls-keystore", p12.toString(),
                "--tls-password", TLS_PASSWORD));
        all.add(new Server("netty-tls", n, httpBase + 11, 0));
    }

    private static final String TLS_PASSWORD = "pxj-bench";

    /** The HTTPS servers' key store: an EC P-256 self-signed certificate for 127.0.0.1, made once per run. */
    private void prepareKeystore() throws IOException, InterruptedException {
        Path p12 = out.resolve("tls").resolve("bench.p12");
        Files.createDirectories(p12.getParent());
        Files.deleteIfExists(p12);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", TLS_PASSWORD, "-keypass", TLS_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) { notes.add("HTTPS servers: keytool failed: " + output.trim()); }
    }

    /** PxJ as a library (io.pxj.bench.PxjServer): HTTP or echo, in a process of its own like the demo's. */
    private Server pxjLib(boolean echo) {
        List<String> c = new ArrayList<>(javaCommand());
        c.addAll(List.of("-cp", opt.benchJar.toString(), "io.pxj.bench.PxjServer"));
        if (echo) {
            c.addAll(List.of("--echo-port", Integer.toString(echoBase + 9)));
            return new Server("pxj-lib-echo", c, 0, echoBase + 9);
        }
        c.addAll(List.of("--port", Integer.toString(httpBase + 9), "--root", www.toString()));
        return new Server("pxj-lib", c, httpBase + 9, 0);
    }

    /**
     * When the demo's PxJ servers cannot run (no jar, or a build whose demo is not wired to io.pxj.http /
     * io.pxj.services yet), measures PxJ as a library instead, so PxJ still has a row.
     */
    private void fallbacks(List<Server> servers) {
        if (opt.servers != null) { return; }
        String[][] pairs = {{"pxj", "pxj-lib", "false"}, {"pxj-echo", "pxj-lib-echo", "true"}};
        for (String[] p : pairs) {
            Server demo = servers.stream().filter(s -> s.name.equals(p[0])).findFirst().orElse(null);
            if (demo != null && demo.skipped == null) { continue; }
            Server lib = pxjLib(Boolean.parseBoolean(p[2]));
            start(lib);
            servers.add(lib);
            if (lib.skipped == null) {
                notes.add(p[0] + " (demo) could not run" + (demo == null ? " (no demo jar)" : ": " + demo.skipped)
                        + "; measured PxJ as a library instead (" + p[1] + ", io.pxj.bench.PxjServer)");
            }
        }
    }

    /** The same JVM and flags for every server. */
    private List<String> javaCommand() {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(Arrays.asList(opt.serverJvmArgs.trim().split("\\s+")));
        return c;
    }

    private void prepareRoot() throws IOException {
        Path f = www.resolve("static").resolve("64k.bin");
        Files.createDirectories(f.getParent());
        byte[] data = new byte[64 * 1024];
        new Random(64).nextBytes(data);
        Files.write(f, data);
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
            s.skipped = prepare(s);
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

    private void header(List<Server> servers, List<Config> configs) {
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
        report.append(h);
        console.print(h);
    }

    /** "server on CPU 1, clients on CPU 0 (taskset)" or "not pinned: client and server share all CPUs (why)". */
    String pinDescription() {
        if (opt.pin != null) { return opt.pin.describe() + " (taskset)"; }
        return "not pinned: client and server share all CPUs (" + opt.pinOffReason + ")";
    }

    private String table(List<Config> configs, List<Server> live, Map<String, Map<String, List<Result>>> results) {
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
                if (!applies(s, c)) { continue; }
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
                            notes.add(c.id() + " / " + s.name + ": " + r.error());
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

    /** The ordering section of the report; writes ordering.txt and compares it with ordering-previous.txt. */
    private String orderings(List<Config> configs, Map<String, Map<String, List<Result>>> results, Path file,
            Path previous) throws IOException {
        Map<String, Map<String, List<Result>>> inOrder = new LinkedHashMap<>();
        for (Config c : configs) { if (results.containsKey(c.id())) { inOrder.put(c.id(), results.get(c.id())); } }
        String header = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19) + ", "
                + opt.rounds
                + " round(s) x " + opt.duration + " s, " + pinDescription();
        List<String> prev = Files.exists(previous) ? Files.readAllLines(previous) : null;
        OrderingSection o = RunAnalysis.orderingSection(inOrder, header, prev);
        Files.writeString(file, o.file());
        orderingContradictions += o.contradictions();
        return prev == null ? o.text() + "ordering vs the previous run: no previous run (" + previous.getFileName()
                + " absent)\n" : o.text();
    }

    private static String num(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) { return "-"; }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) { return "-"; }
        return String.format(Locale.ROOT, r < 0.1 ? "%.3f" : "%.2f", r);
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

package io.pxj.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark orchestrator behind {@code run-bench.sh}: starts every server on loopback, warms each up, runs
 * interleaved rounds (every configuration against every server, then the next round) with an HTTP load client
 * (wrk, or the demo's {@code load http}) and an echo load generator, samples each server's CPU (from /proc, or
 * {@link ProcessHandle} where there is none), and prints medians and ratios to a baseline server (Netty epoll, or
 * the NIO.2 server when epoll is not in the run). Every process it starts is recorded in a pid file (for the
 * shell's trap) and destroyed by a shutdown hook.
 *
 * <p>Portable mode (the default off Linux, {@code --portable} elsewhere) runs only what exists everywhere: the demo's
 * PxJ servers (on Windows with the IOCP backend), the NIO.2 server and the JDK HttpServer, without wrk's Lua
 * pipelining, with the demo's {@code load} as the HTTP client.
 *
 * <pre>java -jar pxj-bench.jar harness [--quick] [--rounds N] [--duration S] [--warmup S]
 *      [--demo-jar PATH] [--bench-jar PATH] [--out DIR] [--servers a,b,...] [--configs a,b,...]
 *      [--http-client wrk|load] [--client-warmup S] [--baseline NAME] [--portable] [--strict]
 *      [--echo-client auto|demo|bench] [--no-alloc] [--pin SERVER_CPUS:CLIENT_CPUS | --no-pin]
 * [--strict-ordering]</pre>
 *
 * <p>On Linux with taskset, servers and load clients run on separate CPUs ({@link Pin}); ratios to the baseline are
 * medians of same-round ratios; each configuration's servers are ordered with ties ({@link #ordering}) into
 * ordering.txt and compared with the previous run's ({@link #contradictions}).
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
    private final long clkTck = clockTicks();
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

    // ---------------------------------------------------------------------------------------------- model

    /** A server process under test; {@code httpPort}/{@code echoPort} 0 when it has no such service. */
    static final class Server {
        final String name;
        final List<String> command;
        final int httpPort;
        final int echoPort;
        Process process;
        String skipped; // why it is not measured, or null
        String backend; // the I/O backend the server printed at start ("backend X"), or null

        Server(String name, List<String> command, int httpPort, int echoPort) {
            this.name = name;
            this.command = command;
            this.httpPort = httpPort;
            this.echoPort = echoPort;
        }
    }

    /** One measured configuration. For echo, the server's echo port is used. */
    record Config(String id, String title, boolean echo, int threads, int connections, String path, int depth,
            int size) {}

    /** One run's numbers (NaN when it failed). */
    record Result(double rps, double p50ms, double p99ms, double cpuPct, double clientCpuPct, String error) {
        Result(double rps, double p50ms, double p99ms, double cpuPct, String error) {
            this(rps, p50ms, p99ms, cpuPct, Double.NaN, error);
        }

        static Result failed(String why) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, why);
        }

        boolean ok() {
            return error == null;
        }
    }

    static List<Config> configs() {
        return List.of(
                new Config("plaintext-c64", "plaintext, wrk -t1 -c64", false, 1, 64, "/plaintext", 1, 0),
                new Config("plaintext-c256", "plaintext, wrk -t2 -c256", false, 2, 256, "/plaintext", 1, 0),
                new Config("pipeline16", "plaintext pipelined x16, wrk -t1 -c64", false, 1, 64, "/plaintext", 16, 0),
                new Config("json", "json, wrk -t1 -c64", false, 1, 64, "/json", 1, 0),
                new Config("static64k", "static 64 KiB file, wrk -t1 -c16", false, 1, 16, "/static/64k.bin", 1, 0),
                new Config("echo-64x64B", "echo, 64 connections x 64 B", true, 0, 64, null, 1, 64),
                new Config("echo-1000x1KiB", "echo, 1,000 connections x 1 KiB", true, 0, 1000, null, 1, 1024));
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
        List<Server> servers = servers();
        List<Config> configs = new ArrayList<>();
        for (Config c : configs()) {
            if (opt.configs == null ? !opt.portable || PORTABLE_CONFIGS.contains(c.id) : opt.configs.contains(c.id)) {
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
                if (!c.echo && (c.id.equals("plaintext-c256"))) { continue; } // same path as plaintext-c64
                measure(s, c, Math.max(1, opt.warmup / (c.echo ? 2 : 1)), true);
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
                            round, c.id, s.name, r.rps, r.p50ms, r.p99ms, r.cpuPct, r.clientCpuPct, r.ok() ? ""
                            : r.error.replace(',', ';')),
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    results.computeIfAbsent(c.id, k -> new LinkedHashMap<>())
                            .computeIfAbsent(s.name, k -> new ArrayList<>()).add(r);
                    say(String.format(Locale.ROOT, "round %d/%d  %-15s %-15s %s", round, opt.rounds, c.id, s.name,
                            r.ok() ? String.format(Locale.ROOT,
                            "%,12.0f req/s  p50 %8.3f ms  p99 %8.3f ms  cpu %5.0f%%  client cpu %5.0f%%",
                                    r.rps, r.p50ms, r.p99ms, r.cpuPct, r.clientCpuPct) : "FAILED: " + r.error));
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
        report.append(String.format(Locale.ROOT, "%nload average at the end: %s%n", loadAverage()));
        console.println();
        console.print(report);
        Files.writeString(out.resolve("latest.md"), report.toString());
        console.println("\n(written to " + out.resolve("latest.md") + "; every run in " + out.resolve("runs.csv")
                + ", load-generator output in " + logs.resolve("runs.log") + ")");
    }

    private static boolean applies(Server s, Config c) {
        return c.echo ? s.echoPort > 0 : s.httpPort > 0;
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

    /**
     * {@code command} under {@code taskset -c cpus} when pinning is on, else unchanged. taskset execs the command,
     * so the process (its pid, /proc/PID/stat, {@link Process#destroy()}) is the server or client itself.
     */
    static List<String> pinned(List<String> command, String cpus) {
        if (cpus == null) { return command; }
        List<String> c = new ArrayList<>(List.of("taskset", "-c", cpus));
        c.addAll(command);
        return c;
    }

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
            if (s.httpPort > 0 && portInUse(s.httpPort) || s.echoPort > 0 && portInUse(s.echoPort)) {
                s.skipped = "port " + (s.httpPort > 0 ? s.httpPort : s.echoPort) + " already in use on 127.0.0.1";
                return;
            }
            s.process = spawn(pinned(s.command, opt.pin == null ? null : opt.pin.server()), log);
        } catch (IOException e) {
            s.skipped = "cannot start: " + e;
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(opt.startTimeout);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!s.process.isAlive()) {
                s.skipped = "exited with " + s.process.exitValue() + " at start: " + tail(log, 3);
                return;
            }
            try {
                if (s.httpPort > 0) { checkHttp(s.httpPort); }
                if (s.echoPort > 0) { checkEcho(s.echoPort); }
                s.backend = backendName(tail(log, 20));
                say(String.format(Locale.ROOT, "started %-15s pid %d%s%s", s.name, s.process.pid(),
                        s.httpPort > 0 ? "  http 127.0.0.1:" + s.httpPort : "",
                        s.echoPort > 0 ? "  echo 127.0.0.1:" + s.echoPort : ""));
                return;
            } catch (IOException e) {
                last = e.getMessage();
            }
            sleep(200);
        }
        s.skipped = "not ready within " + opt.startTimeout + " s (" + last + "): " + tail(log, 3);
        stop(s.process);
    }

    private static final Pattern BACKEND = Pattern.compile("\\bbackend '?([^,)'\\s]+)");

    /** The backend a PxJ server prints at start ("... (bound to ..., backend iocp)"), or null. */
    static String backendName(String log) {
        Matcher m = BACKEND.matcher(log);
        return m.find() ? m.group(1) : null;
    }

    private static boolean portInUse(int port) {
        try (Socket ignored = new Socket()) {
            ignored.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** GET /plaintext and /static/64k.bin answer 200 with the expected bodies (a correctness gate, not speed). */
    private static void checkHttp(int port) throws IOException {
        String r = httpGet(port, "/plaintext");
        if (!r.startsWith("HTTP/1.1 200") || !r.endsWith("Hello, World!")) {
            throw new IOException("/plaintext answered " + firstLine(r));
        }
        String j = httpGet(port, "/json");
        if (!j.startsWith("HTTP/1.1 200") || !j.replace(" ", "").endsWith("{\"message\":\"Hello,World!\"}")) {
            throw new IOException("/json answered " + firstLine(j));
        }
        String f = httpGet(port, "/static/64k.bin");
        if (!f.startsWith("HTTP/1.1 200") || f.length() < 64 * 1024) {
            throw new IOException("/static/64k.bin answered " + firstLine(f));
        }
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\r');
        return i < 0 ? s : s.substring(0, i);
    }

    private static String httpGet(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(3000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void checkEcho(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(3000);
            byte[] msg = "pxj-bench echo check".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(msg);
            byte[] got = s.getInputStream().readNBytes(msg.length);
            if (!Arrays.equals(msg, got)) {
                throw new IOException("echo answered " + new String(got, StandardCharsets.ISO_8859_1));
            }
        }
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
            boolean javaClient = c.echo || opt.httpClient.equals("load");
            long cpu0 = cpuNanos(s.process.pid());
            long t0 = System.nanoTime();
            Run run = c.echo ? echo(s, c, seconds) : opt.httpClient.equals("load") ? loadHttp(s, c, seconds)
                    : wrk(s, c, seconds);
            double wallSeconds = (System.nanoTime() - t0) / 1e9;
            long cpu1 = cpuNanos(s.process.pid());
            Path log = logs.resolve("runs.log");
            Files.writeString(log, String.format(Locale.ROOT, "=== %s %s %s %ds%n%s%n", warmup ? "warmup" : "run",
                    s.name, c.id,
                    seconds, run.output), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (warmup) { return null; }
            // CPU per second of load: the server is idle while a Java client starts, so for one divide by the load's
            // duration (with the client's warm-up, when it has one), not by the client process's wall time. wrk
            // starts in milliseconds but connects before and closes after its -d seconds, and the server works
            // through both: divide by the wall time the CPU was sampled over (a pinned server then stays <= 100 %).
            double loadSeconds = javaClient ? seconds + (run.clientWarmup() ? opt.clientWarmup : 0)
                    : Math.max(seconds, wallSeconds);
            double cpuPct = cpu0 < 0 || cpu1 < 0 ? Double.NaN : 100.0 * (cpu1 - cpu0) / 1e9 / loadSeconds;
            Result r = run.parse();
            if (!r.ok()) { return r; }
            return new Result(r.rps, r.p50ms, r.p99ms, cpuPct, run.clientCpuPct(), null);
        } catch (IOException | RuntimeException e) {
            return Result.failed(e.toString());
        }
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
    }

    private Run wrk(Server s, Config c, int seconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(opt.wrk, "-t" + c.threads, "-c" + c.connections, "-d" + seconds
                + "s",
                "--latency", "--timeout", "5s"));
        if (c.depth > 1) { cmd.addAll(List.of("-s", opt.pipelineLua.toString())); }
        cmd.add("http://127.0.0.1:" + s.httpPort + c.path);
        if (c.depth > 1) { cmd.addAll(List.of("--", Integer.toString(c.depth))); }
        return runClient(cmd, seconds + 30, false, false);
    }

    /** The demo's {@code load http} (closed loop, pipelined with -p for pipeline16), the same shape as the wrk run. */
    private Run loadHttp(Server s, Config c, int seconds) throws IOException {
        if (opt.demoJar == null) {
            throw new IllegalStateException("--http-client load needs the demo jar (" + opt.demoJarHint + ")");
        }
        List<String> cmd = new ArrayList<>(javaClient());
        cmd.addAll(List.of("-jar", opt.demoJar.toString(), "load", "http", "-c", Integer.toString(c.connections),
                "-d", Integer.toString(seconds), "-p", Integer.toString(c.depth), "--threads",
                Integer.toString(c.threads)));
        if (opt.clientWarmup > 0) { cmd.addAll(List.of("--warmup", Integer.toString(opt.clientWarmup))); }
        cmd.add("http://127.0.0.1:" + s.httpPort + c.path);
        return runClient(cmd, seconds + opt.clientWarmup + 60, true, opt.clientWarmup > 0);
    }

    private Run echo(Server s, Config c, int seconds) throws IOException {
        List<String> cmd = new ArrayList<>(javaClient());
        String target = "127.0.0.1:" + s.echoPort;
        if (echoClient.equals("demo")) {
            cmd.addAll(List.of("-jar", opt.demoJar.toString(), "load", "echo", "--connections",
                    Integer.toString(c.connections),
                    "--duration", Integer.toString(seconds), "--size", Integer.toString(c.size)));
            if (opt.clientWarmup > 0) { cmd.addAll(List.of("--warmup", Integer.toString(opt.clientWarmup))); }
            cmd.add(target);
            return runClient(cmd, seconds + opt.clientWarmup + 60, true, opt.clientWarmup > 0);
        } else {
            cmd.addAll(List.of("-cp", opt.benchJar.toString(), "io.pxj.bench.EchoLoad", "--connections",
                    Integer.toString(c.connections), "--duration", Integer.toString(seconds), "--size",
                    Integer.toString(c.size), target));
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
        return runProcess(pinned(cmd, opt.pin == null ? null : opt.pin.clients()), timeoutSeconds, echoFormat,
                clientWarmup);
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
                        notes.add("echo load: the demo's 'load echo' did not work (" + r.parse().error
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
            for (String l : r.output.split("\n")) {
                if (l.startsWith("alloc")) {
                    lines.append("  ").append(l).append('\n');
                }
            }
            report.append("\nAllocation (PxJ, steady state, io.pxj.bench.AllocBench):\n");
            if (lines.length() == 0 || r.exit != 0) { report.append("  failed (exit ").append(r.exit).append("): ")
                    .append(lastLines(r.output, 3)).append('\n'); }
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
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")));
        h.append("pinning: ").append(pinDescription()).append('\n');
        h.append(String.format(Locale.ROOT,
                "method: %d interleaved round(s) x %d s per run after %d s warm-up; medians over rounds; "
                + "server JVM flags: %s; load average at start: %s%n", opt.rounds, opt.duration, opt.warmup,
                opt.serverJvmArgs.trim(), loadAverage()));
        h.append(String.format(Locale.ROOT, "load clients: HTTP %s, echo %s%s%n",
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
        t.append("\nValues are medians over rounds. Each x is the median over rounds of the ratio to ").append(baseline)
                .append(" measured in the same round (robust to the machine's speed drifting between rounds; with 1 "
                + "round it is")
                .append(" simply the ratio). req/s: higher is better; latency, CPU: lower is better. Server CPU % is "
                + "% of one core")
                .append(opt.pin != null ? " (a server pinned to one CPU can use at most 100 %)"
                : " (200 % = two cores)")
                .append("; CPU us/req = server CPU time per request, median over rounds; client CPU % = the load "
                + "client's CPU")
                .append(" over its own lifetime (a Java client's includes its JVM start; near 100 % per client CPU "
                + "means the client, not")
                .append(" the server, was the limit). p50/p99: closed-loop latency at saturation")
                .append(" as the load client saw it").append(opt.pin != null
                ? " (on its own CPU(s), not competing with the server)" : "")
                .append(".\n\n");
        t.append("| configuration | server | req/s | x | p50 ms | x | p99 ms | x | server CPU % | x | CPU us/req | x "
                + "| client CPU % | ok |\n");
        t.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Config c : configs) {
            Map<String, List<Result>> byServer = results.getOrDefault(c.id, Map.of());
            List<Result> base = byServer.get(baseline);
            for (Server s : live) {
                if (!applies(s, c)) { continue; }
                List<Result> rs = byServer.get(s.name);
                if (rs == null) { continue; }
                double[] m = medians(rs);
                double usPerReq
                        = median(rs.stream().filter(Result::ok).mapToDouble(Harness::cpuUsPerRequest).toArray());
                long ok = rs.stream().filter(Result::ok).count();
                t.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n",
                        c.echo ? c.title : c.title.replace("wrk", opt.httpClient), s.name,
                        num(m[0], 0), ratio(medianRoundRatio(rs, base, Result::rps)),
                        num(m[1], 3), ratio(medianRoundRatio(rs, base, Result::p50ms)),
                        num(m[2], 3), ratio(medianRoundRatio(rs, base, Result::p99ms)),
                        num(m[3], 0), ratio(medianRoundRatio(rs, base, Result::cpuPct)),
                        num(usPerReq, 1), ratio(medianRoundRatio(rs, base, Harness::cpuUsPerRequest)),
                        num(median(rs.stream().filter(Result::ok).mapToDouble(Result::clientCpuPct).filter(v
                        -> !Double.isNaN(v)).toArray()), 0),
                        ok, rs.size()));
                if (ok < rs.size()) {
                    for (Result r : rs) { if (!r.ok()) { notes.add(c.id + " / " + s.name + ": " + r.error); break; } }
                }
            }
        }
        for (String id : List.of("plaintext-c64", "plaintext-c256")) {
            Map<String, List<Result>> byServer = results.get(id);
            if (byServer == null || !byServer.containsKey("pxj") || baseline.equals("pxj")) { continue; }
            double r = medianRoundRatio(byServer.get("pxj"), byServer.get(baseline), Result::rps);
            double goal = targetRatio(baseline);
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

    /** The ordering section of the report; writes ordering.txt and compares it with ordering-previous.txt. */
    private String orderings(List<Config> configs, Map<String, Map<String, List<Result>>> results, Path file,
            Path previous) throws IOException {
        Map<String, Map<String, List<Result>>> inOrder = new LinkedHashMap<>();
        for (Config c : configs) { if (results.containsKey(c.id)) { inOrder.put(c.id, results.get(c.id)); } }
        String header = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19) + ", "
                + opt.rounds
                + " round(s) x " + opt.duration + " s, " + pinDescription();
        List<String> prev = Files.exists(previous) ? Files.readAllLines(previous) : null;
        OrderingSection o = orderingSection(inOrder, header, prev);
        Files.writeString(file, o.file());
        orderingContradictions += o.contradictions();
        return prev == null ? o.text() + "ordering vs the previous run: no previous run (" + previous.getFileName()
                + " absent)\n" : o.text();
    }

    static final String ORDERING_LEGEND
            = "\nOrdering by req/s relative to each round (the median over rounds of req/s divided by the"
            + " round's geometric mean); '=' joins servers not distinguishable from the group's first: one is ahead "
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

    // ---------------------------------------------------------------------------------------------- ordering

    /** The margin by which one server must beat another in every round to be ordered ahead of it. */
    static final double MIN_BAND = 0.03;

    /**
     * Whether {@code a} and {@code b} are indistinguishable: unless one beat the other by more than 3 % in every
     * round both completed (same-round req/s ratios all above 1.03, or all below 1 / 1.03), they tie. Judged round
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
        double[] r = roundRatios(a, b, Result::rps);
        if (r.length == 0) { r = new double[] {medians(a)[0] / medians(b)[0]}; }
        if (Arrays.stream(r).allMatch(x -> x > 1 + MIN_BAND)) { return 1; }
        if (Arrays.stream(r).allMatch(x -> x < 1 / (1 + MIN_BAND))) { return -1; }
        return 0;
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
     * Each server's place for sorting: the median over rounds of its req/s divided by that round's geometric mean of
     * all servers' req/s (every round's speed divides out; a server's failed rounds are skipped).
     */
    static Map<String, Double> scores(Map<String, List<Result>> byServer) {
        int rounds = byServer.values().stream().mapToInt(List::size).max().orElse(0);
        double[] norm = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double logSum = 0;
            int n = 0;
            for (List<Result> rs : byServer.values()) {
                if (i < rs.size() && rs.get(i).ok() && rs.get(i).rps() > 0) {
                    logSum += Math.log(rs.get(i).rps());
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
                v[i] = rs.get(i).ok() && rs.get(i).rps() > 0 ? rs.get(i).rps() / norm[i] : Double.NaN;
            }
            double m = median(v);
            if (!Double.isNaN(m)) { out.put(e.getKey(), m); }
        }
        return out;
    }

    /**
     * One configuration's servers, fastest first by {@link #scores score} (req/s relative to each round), in groups of
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
     * CPU time of a process in nanoseconds: /proc/PID/stat where there is one, else the OS's own account through
     * {@link ProcessHandle} (Windows, macOS); -1 when neither is available.
     */
    private long cpuNanos(long pid) {
        if (Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"))) {
            try {
                return cpuTicks(pid) * 1_000_000_000L / clkTck;
            } catch (IOException | RuntimeException e) {
                // gone, or not the format we know: try the portable way
            }
        }
        return ProcessHandle.of(pid).flatMap(h
                -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long clockTicks() {
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

    private static String cpuModel() {
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

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String tail(Path log, int n) {
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    // ---------------------------------------------------------------------------------------------- options

    /**
     * Which CPUs the servers and the load clients run on ({@code taskset -c} lists such as {@code 1} or {@code 0-1,3}).
     */
    record Pin(String server, String clients) {
        static final String USAGE
                = "--pin SERVER_CPUS:CLIENT_CPUS (CPU lists as taskset -c takes them, e.g. --pin 1:0 or --pin 2-3:0-1)";

        /** Parses {@code SERVER_CPUS:CLIENT_CPUS}; the two sets must be non-empty and disjoint. */
        static Pin parse(String v) {
            String[] p = v.split(":", -1);
            if (p.length != 2) { throw new IllegalArgumentException("bad --pin value '" + v + "': expected " + USAGE); }
            List<Integer> server = cpus(p[0], v);
            List<Integer> clients = cpus(p[1], v);
            for (int c : server) {
                if (clients.contains(c)) {
                    throw new IllegalArgumentException("bad --pin value '" + v + "': CPU " + c
                            + " is both a server and a client CPU; the point is to keep them apart. Usage: " + USAGE);
                }
            }
            return new Pin(cpuList(server), cpuList(clients));
        }

        /** Expands a taskset CPU list ("0", "2-3", "0,2-3"); an error names the bad part and the whole value. */
        static List<Integer> cpus(String list, String whole) {
            if (list.isEmpty()) {
                throw new IllegalArgumentException("bad --pin value '" + whole + "': empty CPU list. Usage: " + USAGE);
            }
            List<Integer> out = new ArrayList<>();
            for (String part : list.split(",", -1)) {
                Matcher m = Pattern.compile("(\\d{1,4})(?:-(\\d{1,4}))?").matcher(part);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad --pin value '" + whole + "': '" + part
                            + "' is not a CPU number or range. Usage: " + USAGE);
                }
                int lo = Integer.parseInt(m.group(1));
                int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
                if (hi < lo) {
                    throw new IllegalArgumentException("bad --pin value '" + whole + "': range '" + part
                            + "' is backwards. Usage: " + USAGE);
                }
                for (int c = lo; c <= hi; c++) { if (!out.contains(c)) { out.add(c); } }
            }
            out.sort(null);
            return out;
        }

        /** The compact taskset form of sorted CPU numbers: [0, 1, 2, 5] gives "0-2,5". */
        static String cpuList(List<Integer> cpus) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cpus.size(); ) {
                int j = i;
                while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) { j++; }
                if (b.length() > 0) { b.append(','); }
                b.append(cpus.get(i));
                if (j > i) { b.append('-').append(cpus.get(j)); }
                i = j + 1;
            }
            return b.toString();
        }

        /** The default: the servers on the last allowed CPU, the clients on all the others (null with fewer than 2). */
        static Pin defaultFor(List<Integer> allowed) {
            if (allowed.size() < 2) { return null; }
            List<Integer> clients = allowed.subList(0, allowed.size() - 1);
            return new Pin(Integer.toString(allowed.get(allowed.size() - 1)), cpuList(clients));
        }

        String describe() {
            return "server on " + cpuWord(server) + ", clients on " + cpuWord(clients);
        }

        private static String cpuWord(String list) {
            return (list.matches("\\d+") ? "CPU " : "CPUs ") + list;
        }
    }

    /**
     * Decides {@code o.pin}: {@code --no-pin} wins, then {@code --pin} (validated, and every CPU must be one this
     * process may run on), then the default (Linux with taskset and at least 2 CPUs: {@link Pin#defaultFor}).
     */
    static void choosePin(Options o, String pinArg, boolean noPin, boolean linux, boolean taskset,
            List<Integer> allowed) {
        o.pin = null;
        if (noPin) {
            o.pinOffReason = "--no-pin";
        } else if (pinArg != null) {
            Pin p = Pin.parse(pinArg);
            if (!taskset) {
                throw new IllegalArgumentException("--pin " + pinArg
                        + ": no taskset on the PATH (util-linux); use --no-pin");
            }
            for (String side : List.of(p.server(), p.clients())) {
                for (int c : Pin.cpus(side, pinArg)) {
                    if (!allowed.contains(c)) {
                        throw new IllegalArgumentException("bad --pin value '" + pinArg + "': CPU " + c
                                + " is not available here (CPUs "
                                + Pin.cpuList(allowed) + "). Usage: " + Pin.USAGE);
                    }
                }
            }
            o.pin = p;
        } else if (!linux) {
            o.pinOffReason = "pinning is for Linux only";
        } else if (!taskset) {
            o.pinOffReason = "no taskset on the PATH";
        } else {
            o.pin = Pin.defaultFor(allowed);
            if (o.pin == null) { o.pinOffReason = "only " + allowed.size() + " CPU"; }
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) { return false; }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) { return true; }
        }
        return false;
    }

    /** The CPUs this process may run on (Cpus_allowed_list of /proc/self/status), else 0 .. availableProcessors-1. */
    static List<Integer> allowedCpus() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Cpus_allowed_list:")) {
                    return Pin.cpus(l.substring(l.indexOf(':') + 1).trim(), l);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < Runtime.getRuntime().availableProcessors(); c++) { all.add(c); }
        return all;
    }

    static final class Options {
        boolean quick;
        int rounds = 3;
        int duration = 10;
        int warmup = 10;
        int startTimeout = 60;
        Path demoJar;
        String demoJarHint = "threadpool-demo/target/threadpool-demo.jar";
        Path benchJar = Path.of("threadpool-demo/bench/target/pxj-bench.jar");
        Path pipelineLua = Path.of("threadpool-demo/bench/pipeline.lua");
        Path out = Path.of("bench-results");
        String wrk = "wrk";
        List<String> servers;
        List<String> configs;
        String echoClient = "auto";
        String httpClient = LINUX ? "wrk" : "load";
        int clientWarmup = -1;
        String baseline; // null: netty-epoll when it runs, else nio2
        boolean portable = !LINUX;
        boolean strict;
        int portBase = 18180;
        boolean noAlloc;
        boolean strictOrdering;
        Pin pin; // null: not pinned
        String pinOffReason;
        String serverJvmArgs = "-Xms512m -Xmx512m -XX:+UseParallelGC";
        String clientJvmArgs = "-Xmx512m -XX:+UseParallelGC";

        static Options parse(String[] args) {
            Options o = new Options();
            Integer rounds = null, duration = null, warmup = null;
            String pinArg = null;
            boolean noPin = false;
            Path demo = Path.of(o.demoJarHint);
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--no-alloc" -> o.noAlloc = true;
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--duration" -> duration = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--start-timeout" -> o.startTimeout = Integer.parseInt(args[++i]);
                    case "--demo-jar" -> demo = Path.of(args[++i]);
                    case "--bench-jar" -> o.benchJar = Path.of(args[++i]);
                    case "--pipeline-lua" -> o.pipelineLua = Path.of(args[++i]);
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--wrk" -> o.wrk = args[++i];
                    case "--servers" -> o.servers = List.of(args[++i].split(","));
                    case "--configs" -> o.configs = List.of(args[++i].split(","));
                    case "--echo-client" -> o.echoClient = args[++i];
                    case "--http-client" -> o.httpClient = args[++i];
                    case "--client-warmup" -> o.clientWarmup = Integer.parseInt(args[++i]);
                    case "--baseline" -> o.baseline = args[++i].equals("jdk") ? "jdk-httpserver" : args[i];
                    case "--portable" -> o.portable = true;
                    case "--strict" -> o.strict = true;
                    case "--strict-ordering" -> o.strictOrdering = true;
                    case "--pin" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--pin needs SERVER_CPUS:CLIENT_CPUS, e.g. --pin 1:0");
                        }
                        pinArg = args[++i];
                    }
                    case "--no-pin" -> noPin = true;
                    case "--port-base" -> o.portBase = Integer.parseInt(args[++i]);
                    case "--server-jvm-args" -> o.serverJvmArgs = args[++i];
                    case "--client-jvm-args" -> o.clientJvmArgs = args[++i];
                    case "-h", "--help" -> {
                        System.out.println("Harness [--quick] [--rounds N] [--duration S] [--warmup S] [--demo-jar P] "
                                + "[--bench-jar P]"
                                + " [--out DIR] [--servers "
                                + "pxj,pxj-echo,pxj-lib,pxj-lib-echo,netty-epoll,netty-nio,netty-io_uring,"
                                + "jdk-httpserver,nio2]"
                                + " [--configs " + String.join(",", configs().stream().map(Config::id).toList()) + "]"
                                + " [--echo-client auto|demo|bench] [--http-client wrk|load] [--client-warmup S]"
                                + " [--baseline NAME] [--portable] [--strict] [--strict-ordering] [--pin "
                                + "SERVER_CPUS:CLIENT_CPUS | --no-pin]"
                                + " [--port-base P] [--no-alloc] [--server-jvm-args '...']");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            o.rounds = rounds != null ? rounds : o.quick ? 1 : 3;
            o.duration = duration != null ? duration : o.quick ? 3 : 10;
            o.warmup = warmup != null ? warmup : o.quick ? 2 : 10;
            o.demoJarHint = demo.toString();
            o.demoJar = Files.isRegularFile(demo) ? demo.toAbsolutePath() : null;
            if (!o.httpClient.equals("wrk") && !o.httpClient.equals("load")) {
                throw new IllegalArgumentException("--http-client must be wrk or load: " + o.httpClient);
            }
            if (o.httpClient.equals("load") && o.demoJar == null) {
                throw new IllegalArgumentException("--http-client load needs the demo jar: none at "
                        + demo.toAbsolutePath());
            }
            if (o.clientWarmup < 0) { o.clientWarmup = o.quick ? 1 : 2; }
            choosePin(o, pinArg, noPin, LINUX, onPath("taskset"), allowedCpus());
            o.benchJar = o.benchJar.toAbsolutePath();
            o.pipelineLua = o.pipelineLua.toAbsolutePath();
            o.out = o.out.toAbsolutePath();
            if (!Files.isRegularFile(o.benchJar)) {
                throw new UncheckedIOException(new IOException("no bench jar at " + o.benchJar));
            }
            return o;
        }
    }

}

package io.pxj.demo.load;

import io.pxj.demo.Cli;
import io.pxj.demo.CommandFailedException;
import io.pxj.demo.Lifecycle;
import io.pxj.runtime.Client;
import io.pxj.runtime.Px;
import io.pxj.runtime.tls.TlsConfig;
import io.pxj.runtime.tls.TlsContexts;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code load}: an echo / HTTP load generator on PxJ's own client API (one {@link LoadConnection} protocol per
 * connection), with HdrHistogram latencies, coordinated-omission correction at a fixed --rate, a progress line
 * each second and a percentile table at the end.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        usageHelpWidth = 100,
        versionProvider = io.pxj.demo.Version.class,
        header = "Load-test an echo or HTTP server (PxJ client API, HdrHistogram percentiles).",
        description = {"Generates load with PxJ's own client API and reports latency percentiles.",
                "Without --rate each connection keeps --pipeline requests in flight (closed loop). With --rate the"
                        + " requests are sent at fixed intervals and latency is measured from each request's intended"
                        + " send time (coordinated-omission corrected, like wrk2)."},
        footer = {"", "Examples:",
                "  java -jar threadpool-demo.jar load http -c 50 -d 30 http://127.0.0.1:8080/plaintext",
                "  java -jar threadpool-demo.jar load http -c 10 -d 30 --rate 20000 127.0.0.1:8080/json",
                "  java -jar threadpool-demo.jar load http -c 64 -d 10 --insecure https://127.0.0.1:8443/plaintext",
                "  java -jar threadpool-demo.jar load echo -c 8 -d 10 --size 1024 --pipeline 4 127.0.0.1:7007"})
public final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** --warmup, parsed by {@link #call()}; zero = none. */
    Duration warmupFor = Duration.ZERO;

    @Parameters(index = "0", paramLabel = "MODE", description = "echo or http.",
            converter = ModeConverter.class)
    LoadTarget.Mode mode;

    @Parameters(index = "1", paramLabel = "TARGET",
            description = "http: http[s]://host[:port][/path] or host:port[/path]; echo: host:port.")
    String target;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "10",
            description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-d", "--duration"}, paramLabel = "S", defaultValue = "10",
            description = "How long to run: seconds, or with a unit: 500ms, 30s, 2m (default: ${DEFAULT-VALUE} s).")
    String duration;

    @Option(names = "--warmup", paramLabel = "S",
            description = "Run this long first and leave it out of the summary (JIT warm-up of client and server);"
                    + " same units as --duration (default: no warm-up).")
    String warmup;

    @Option(names = {"-R", "--rate"}, paramLabel = "R",
            description = "Total requests per second over all connections (fixed rate, CO-corrected).")
    Long rate;

    @Option(names = {"-s", "--size"}, paramLabel = "B",
            description = "echo: message size in bytes (default: 64).")
    Integer size;

    @Option(names = {"-p", "--pipeline"}, paramLabel = "P", defaultValue = "1",
            description = "Requests in flight per connection (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--threads", paramLabel = "N", description = "Client pool/event-loop threads (default: cores).")
    Integer threads;

    @Option(names = {"-k", "--insecure"},
            description = "https: accept any server certificate and host name (self-signed test servers only).")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
        Cli.check(spec, connections >= 1 && connections <= 100_000, "--connections must be 1..100,000: " + connections);
        Cli.check(spec, pipeline >= 1 && pipeline <= 1024, "--pipeline must be 1..1024: " + pipeline);
        Cli.check(spec, rate == null || (rate >= 1 && rate <= 100_000_000L), "--rate must be 1..100,000,000 req/s: "
                + rate);
        Cli.check(spec, threads == null || threads >= 1, "--threads must be >= 1: " + threads);
        Cli.check(spec, mode == LoadTarget.Mode.ECHO || size == null,
                "--size applies to echo only (http sends GET requests)");
        int messageSize = size == null ? 64 : size;
        Cli.check(spec, messageSize >= 1 && messageSize <= 16 << 20, "--size must be 1..16777216 bytes: "
                + messageSize);
        Duration runFor;
        try {
            runFor = parseDuration(duration);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, "--duration: " + e.getMessage());
        }
        try {
            warmupFor = warmup == null || warmup.trim().equals("0") ? Duration.ZERO : parseDuration(warmup);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, "--warmup: " + e.getMessage());
        }
        LoadTarget t;
        try {
            t = LoadTarget.parse(mode, target);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, "TARGET: " + e.getMessage());
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(t.host()), t.port());
        } catch (UnknownHostException e) {
            throw Cli.usage(spec, "TARGET: cannot resolve host '" + t.host() + "'");
        }
        long interval = rate == null ? 0 : Math.max(1, Math.round(1e9 * connections / rate));
        Cli.check(spec, !insecure || t.tls(), "--insecure is for https:// targets");
        TlsConfig tls = !t.tls() ? null : insecure
                ? TlsConfig.client(TlsContexts.insecureClient()).verifyHostname(false).applicationProtocols("http/1.1")
                        .build()
                : TlsConfig.client().serverName(t.host()).applicationProtocols("http/1.1").build();
        LoadRun run = new LoadRun(mode, t, address, connections, pipeline, interval, messageSize, tls);

        Px.Builder builder = Px.builder();
        if (threads != null) { builder.threads(threads); }
        Px px = builder.build();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            run.stopping = true; // Ctrl-C: end early, but still print the summary
            try {
                finished.await(Lifecycle.CLOSE_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pxj-load-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return drive(px, run, runFor, System.out);
        } finally {
            px.close(Lifecycle.CLOSE_TIMEOUT);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is waiting for 'finished'
            }
        }
    }

    /** Main thread: opens the connections, runs the main loop with progress lines, prints the summary. */
    int drive(Px px, LoadRun run, Duration runFor, PrintStream out) {
        out.printf(Locale.ROOT, "PxJ load %s %s: %d connection(s), %s, pipeline %d, %s (backend %s)%n",
                run.mode.name().toLowerCase(Locale.ROOT), run.target, run.connections, human(runFor), run.pipeline,
                run.intervalNanos == 0 ? "closed loop" : String.format(Locale.ROOT, "fixed rate %,d req/s", rate),
                px.backendName());
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < run.connections; i++) { clients.add(px.client(run.address, new LoadConnection(run))); }

        Histogram total = new Histogram(LoadRun.MAX_LATENCY, 3);
        Histogram totalService = new Histogram(LoadRun.MAX_LATENCY, 3);
        Histogram interval = null;
        Histogram intervalService = null;
        long start = System.nanoTime();
        boolean warming = !warmupFor.isZero();
        long measureFrom = start + warmupFor.toNanos();
        long end = measureFrom + runFor.toNanos();
        long lastReport = start;
        long nextReport = start + 1_000_000_000L;
        long nextReopen = start + 100_000_000L;
        if (warming) { out.printf(Locale.ROOT, "warm-up %s (left out of the summary)%n", human(warmupFor)); }
        String abort = null;
        while (!run.stopping) {
            long now = System.nanoTime();
            if (now >= end) { break; }
            long wait = Math.min(Math.min(end, nextReport), Math.min(nextReopen, warming ? measureFrom : end)) - now;
            px.runOnce(Duration.ofNanos(Math.max(0, wait)).plusMillis(1));
            now = System.nanoTime();
            if (warming && now >= measureFrom) { // drop everything recorded so far and measure from here
                warming = false;
                interval = run.latency.getIntervalHistogram(interval);
                intervalService = run.service.getIntervalHistogram(intervalService);
                total.reset();
                totalService.reset();
                run.resetCounters();
                start = now;
                end = now + runFor.toNanos();
                lastReport = now;
                nextReport = now + 1_000_000_000L;
                out.printf(Locale.ROOT, "warm-up done; measuring for %s%n", human(runFor));
            }
            if (now >= nextReopen) { // replace connections the server closed or that failed, at most every 100 ms
                nextReopen = now + 100_000_000L;
                if (run.everConnected.get() == 0 && run.connectFailures.get() >= run.connections) {
                    abort = "cannot connect to " + run.address + ": " + String.join("; ", run.firstErrors());
                    break;
                }
                for (int n = run.toReopen.getAndSet(0); n > 0; n--) {
                    clients.add(px.client(run.address, new LoadConnection(run)));
                }
            }
            if (now >= nextReport) {
                interval = run.latency.getIntervalHistogram(interval);
                total.add(interval);
                intervalService = run.service.getIntervalHistogram(intervalService);
                totalService.add(intervalService);
                out.println(LoadReport.progress(Math.round((now - start) / 1e9), interval, (now - lastReport) / 1e9,
                        run.errors.sum(), run.connected.get(), run.connections));
                lastReport = now;
                nextReport += 1_000_000_000L;
            }
        }
        long elapsed = System.nanoTime() - start;
        run.stopping = true;
        for (Client c : clients) { c.close(); }
        long drainUntil = System.nanoTime() + 500_000_000L; // let the closes go out
        while (System.nanoTime() < drainUntil && run.connected.get() > 0) { px.runOnce(Duration.ofMillis(50)); }
        total.add(run.latency.getIntervalHistogram(interval));
        totalService.add(run.service.getIntervalHistogram(intervalService));

        if (abort != null) { throw new CommandFailedException(abort); }
        summary(out, run, total, run.intervalNanos == 0 ? null : totalService, elapsed);
        return 0;
    }

    private static void summary(PrintStream out, LoadRun run, Histogram total, Histogram service, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        long responses = total.getTotalCount();
        out.println();
        out.printf(Locale.ROOT, "  %-22s %,d in %.2f s = %,.1f req/s%n", "requests completed", responses, seconds,
                responses / seconds);
        out.print(LoadReport.latencyTable(total, service));
        out.printf(Locale.ROOT, "  %-22s %d%n", "errors", run.errors.sum());
        if (run.mode == LoadTarget.Mode.HTTP) {
            out.printf(Locale.ROOT, "  %-22s 1xx %,d  2xx %,d  3xx %,d  4xx %,d  5xx %,d  other %,d%n", "status",
                    run.statusClasses[1].sum(), run.statusClasses[2].sum(), run.statusClasses[3].sum(),
                    run.statusClasses[4].sum(), run.statusClasses[5].sum(), run.statusClasses[0].sum());
        }
        out.printf(Locale.ROOT, "  %-22s sent %s, received %s (%s/s in)%n", "bytes",
                LoadReport.bytes(run.bytesSent.sum()),
                LoadReport.bytes(run.bytesReceived.sum()),
                LoadReport.bytes((long) (run.bytesReceived.sum() / seconds)));
        List<String> errs = run.firstErrors();
        if (!errs.isEmpty()) {
            out.println("  first errors:");
            for (String e : errs) { out.println("    " + e); }
        }
    }

    /** "10" (seconds), "500ms", "30s", "2m". */
    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        long mult;
        String num;
        if (v.endsWith("ms")) { mult = 1; num = v.substring(0, v.length() - 2); }
        else if (v.endsWith("s")) { mult = 1000; num = v.substring(0, v.length() - 1); }
        else if (v.endsWith("m")) { mult = 60_000; num = v.substring(0, v.length() - 1); }
        else { mult = 1000; num = v; }
        num = num.trim();
        if (!num.matches("-?[0-9]+(\\.[0-9]+)?")) {
            throw new IllegalArgumentException("'" + s + "' is not a duration (examples: 10, 500ms, 30s, 2m)");
        }
        double d = Double.parseDouble(num);
        long ms = Math.round(d * mult);
        if (!(d > 0) || ms < 1 || ms > 24L * 3600 * 1000) {
            throw new IllegalArgumentException("'" + s + "' must be between 1 ms and 24 h");
        }
        return Duration.ofMillis(ms);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Accepts "echo" and "http" in any case. */
    static final class ModeConverter implements CommandLine.ITypeConverter<LoadTarget.Mode> {
        @Override
        public LoadTarget.Mode convert(String value) {
            try {
                return LoadTarget.Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a load mode (expected echo or http)");
            }
        }
    }
}

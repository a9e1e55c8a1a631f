package io.pxj.demo.http;

import io.pxj.demo.Cli;
import io.pxj.demo.HostOption;
import io.pxj.demo.Lifecycle;
import io.pxj.demo.wiki.WikiIndex;
import io.pxj.http.HttpServer;
import io.pxj.runtime.Px;
import io.pxj.runtime.PxTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;

/**
 * {@code http}: static files, TechEmpower endpoints, /stats, the live dashboard and the wiki-style index demo on
 * io.pxj.http.
 */
@Command(name = "http", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        usageHelpWidth = 100,
        versionProvider = io.pxj.demo.Version.class,
        header = "HTTP server: dashboard, /stats, TechEmpower endpoints, static files, wiki index demo.",
        description = {"Serves HTTP/1.1 (io.pxj.http) until Ctrl-C:",
                "  /             live dashboard (throughput, time in server, connections, threads, arena)",
                "  /stats        JSON counters; percentiles of time in server (read -> written) and handler time",
                "  /healthz      liveness   /readyz   readiness (503 while draining)",
                "  /metrics      Prometheus text format",
                "  /plaintext    /json   TechEmpower endpoints",
                "  /lookup/PFX   JSON: keys of the wiki index starting with PFX (?limit=N, max 1000)",
                "  /record/KEY   the key's record, a ranged zero-copy file send",
                "  anything else from --root, if given",
                "HTTPS with --tls-keystore FILE (PKCS#12), --tls-keystore-type Windows-MY (Windows certificate store)"
                        + " or --tls-self-signed (development); --redirect-http PORT answers plain HTTP with 301.",
                "The wiki index (--index-keys generated titles -> record offsets) is built once on the main thread"
                        + " and read by every parallel callback without copying (PyParallel's wiki demo)."},
        footer = {"", "Example: java -jar threadpool-demo.jar http --port 8080 --root ./site",
                "         java -jar threadpool-demo.jar http --port 8443 --tls-self-signed"})
public final class HttpCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(HttpCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Mixin
    HostOption listen;

    @Option(names = "--root", paramLabel = "DIR", description = "Serve static files from this directory.")
    Path root;

    @Option(names = "--index-keys", paramLabel = "N", defaultValue = "1000000",
            description = "Keys in the wiki index (default: ${DEFAULT-VALUE}; 0 disables /lookup and /record).")
    int indexKeys;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the index's data file goes (reused if present; default: a temporary directory,"
                    + " deleted on exit).")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Pool/event-loop threads (default: cores).")
    Integer threads;

    @Option(names = "--drain-delay", paramLabel = "SECONDS", defaultValue = "2",
            description = "On Ctrl-C / SIGTERM, /readyz answers 503 and serving goes on this long before the server"
                    + " stops accepting, so load balancers take it out of rotation first (default: ${DEFAULT-VALUE};"
                    + " 0..300, fractions allowed).")
    double drainDelaySeconds;

    @Option(names = "--access-log",
            description = "Log every response in the Combined Log Format on the io.pxj.http.access logger (stderr).")
    boolean accessLog;

    @Mixin
    TlsOptions tls = new TlsOptions();

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "http",
            description = "The runtime's name in JMX: io.pxj:type=Px,name=NAME (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws IOException {
        InetSocketAddress bind = listen.bindAddress(spec, port);
        Cli.check(spec, indexKeys >= 0 && indexKeys <= 100_000_000,
                "--index-keys must be 0..100,000,000 (0 disables the index): " + indexKeys);
        Cli.check(spec, threads == null || threads >= 1, "--threads must be >= 1: " + threads);
        Cli.check(spec, drainDelaySeconds >= 0 && drainDelaySeconds <= 300,
                "--drain-delay must be 0..300 seconds: " + drainDelaySeconds);
        Cli.check(spec, name.matches("[A-Za-z0-9._-]{1,64}"),
                "--name must be 1..64 letters, digits, '.', '_' or '-': '" + name + "'");
        tls.validate(spec);
        Duration drainDelay = Duration.ofMillis(Math.round(drainDelaySeconds * 1000));
        if (root != null) {
            Cli.check(spec, Files.isDirectory(root), "--root " + root + " is not a directory");
            root = root.toAbsolutePath().normalize();
        }
        if (data != null) {
            Cli.check(spec, !Files.exists(data) || Files.isDirectory(data),
                    "--data " + data + " exists and is not a directory");
        }
        SSLContext sslContext = tls.context(); // before the runtime: a bad key store fails fast
        Px.Builder builder = Px.builder().name(name);
        if (threads != null) {
            builder.threads(threads);
        }
        Px px = builder.build();
        Path tempDir = null;
        try {
            if (data == null && indexKeys > 0) {
                tempDir = Files.createTempDirectory("pxj-wiki-");
                // Also covers a Ctrl-C during the build (reverse order: the files, then the directory).
                tempDir.toFile().deleteOnExit();
                tempDir.resolve(WikiIndex.dataFileName(indexKeys)).toFile().deleteOnExit();
                tempDir.resolve(WikiIndex.dataFileName(indexKeys) + ".tmp").toFile().deleteOnExit();
            }
            Path temporary = tempDir;
            WikiIndex index = indexKeys == 0 ? null : buildIndex(temporary != null ? temporary : data);
            if (index != null) { px.publish(WikiIndex.PUBLISHED_NAME, index); } // main thread, before any request

            LiveMetrics metrics = new LiveMetrics(System.nanoTime());
            DemoHttpApp app = new DemoHttpApp(px::stats, metrics, DashboardResources.load());
            HttpServer.Running server = app.server(root, drainDelay, accessLog, sslContext).start(px, bind);
            HttpServer.Running redirect = null;
            if (tls.redirectPort != null) {
                redirect = HttpsRedirect.server(server.localAddress().getPort())
                        .start(px, new InetSocketAddress(bind.getAddress(), tls.redirectPort));
            }
            HttpServer.Running redirecting = redirect;
            // Once a second, a pool timer asks the main thread to roll the metrics interval (no locks on the hot path).
            PxTimer<Void> roller = px.submitTimer(Duration.ofSeconds(1), Duration.ofSeconds(1), ctx -> {
                ctx.callFromMainThread(() -> metrics.roll(System.nanoTime()));
                return null;
            });

            InetSocketAddress local = server.localAddress();
            String scheme = sslContext == null ? "http" : "https";
            System.out.printf("PxJ http listening on %s://%s:%d/ (bound to %s, backend %s)%n", scheme,
                    Cli.reachableHost(local), local.getPort(), local, px.backendName());
            if (redirect != null) {
                System.out.printf("PxJ http redirecting plain HTTP on port %d to https%n",
                        redirect.localAddress().getPort());
            }
            System.out.flush();
            log.info("http: dashboard at {}://{}:{}/ ; Ctrl-C to stop", scheme, Cli.reachableHost(local),
                    local.getPort());
            tempDir = null; // from here on, runUntilShutdown deletes it after close
            Lifecycle.runUntilShutdown(px, "http", () -> {
                if (redirecting != null) {
                    redirecting.close();
                }
                server.close(Lifecycle.CLOSE_TIMEOUT);
            }, () -> {
                roller.cancel();
                deleteTemporary(temporary);
            });
        } catch (RuntimeException | IOException e) {
            px.close(Lifecycle.CLOSE_TIMEOUT);
            deleteTemporary(tempDir);
            throw e;
        }
        return 0;
    }

    private WikiIndex buildIndex(Path dir) throws IOException {
        long t0 = System.nanoTime();
        WikiIndex index = WikiIndex.build(dir, indexKeys);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.info("wiki index: {} keys -> {} MB of records in {} ({}), index {} MB, built in {} ms",
                Cli.grouped(index.size()), index.dataBytes() >> 20, index.dataFile(),
                index.reusedDataFile() ? "reused" : "written", index.indexBytes() >> 20, ms);
        return index;
    }

    /** Deletes the temporary data directory (best effort: a file still open on Windows stays for the OS). */
    private static void deleteTemporary(Path dir) {
        if (dir == null) { return; }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) { Files.deleteIfExists(f); }
            Files.deleteIfExists(dir);
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete the temporary index data in {}: {}", dir, e.toString());
        }
    }
}

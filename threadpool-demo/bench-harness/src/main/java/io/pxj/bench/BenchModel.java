package io.pxj.bench;

import java.util.List;

/**
 * The harness's model: a server under test ({@link Server}), a measured configuration ({@link Config}), one run's
 * numbers ({@link Result}) and the configurations the harness knows ({@link #configs}).
 *
 * <p>Threading: {@link Config} and {@link Result} are immutable records, safe to share; a {@link Server} is mutable
 * (its process, why it was skipped, its backend) and not thread-safe: it belongs to the harness's single thread.
 */
final class BenchModel {
    private BenchModel() {
    }

    /** A server process under test; {@code httpPort}/{@code echoPort} 0 when it has no such service. */
    static final class Server {
        final String name;
        final List<String> command;
        final int httpPort;
        final int echoPort;
        Process process;
        String skipped; // why it is not measured, or null
        String backend; // the I/O backend the server printed at start ("backend X"), or null
        java.util.Set<String> paths; // the HTTP paths it serves (null: all; the epoll floor has no static files)

        Server(String name, List<String> command, int httpPort, int echoPort) {
            this.name = name;
            this.command = command;
            this.httpPort = httpPort;
            this.echoPort = echoPort;
        }
    }

    /** The id prefix of the churn configurations: one request per connection, closed by the server. */
    static final String CHURN = "churn";

    /** One measured configuration. For echo, the server's echo port is used. */
    record Config(String id, String title, boolean echo, int threads, int connections, String path, int depth,
            int size) {
        /** One request per connection (ab's HTTP/1.0 without keep-alive): the accept-serve-close path. */
        boolean churn() {
            return id.startsWith(CHURN);
        }
    }

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
                new Config("churn-c32", "churn: 1 request per connection, ab -c32 (HTTP/1.0)", false, 1, 32,
                        "/plaintext", 1, 0),
                new Config("echo-64x64B", "echo, 64 connections x 64 B", true, 0, 64, null, 1, 64),
                new Config("echo-1000x1KiB", "echo, 1,000 connections x 1 KiB", true, 0, 1000, null, 1, 1024));
    }

    /**
     * The HTTPS configurations: plaintext and a static file over TLS, measured against the servers started with the
     * harness's key store (names ending in {@code -tls}); plain configurations skip those servers and vice versa.
     */
    static List<Config> httpsConfigs() {
        return List.of(
                new Config("https-plaintext-c64", "HTTPS plaintext, wrk -t1 -c64", false, 1, 64, "/plaintext", 1, 0),
                new Config("https-static64k", "HTTPS static 64 KiB file, wrk -t1 -c16", false, 1, 16,
                        "/static/64k.bin", 1, 0));
    }

    /** Every configuration: {@link #configs()} then {@link #httpsConfigs()}. */
    static List<Config> allConfigs() {
        List<Config> all = new java.util.ArrayList<>(configs());
        all.addAll(httpsConfigs());
        return all;
    }

    static boolean https(Config c) {
        return c.id().startsWith("https-");
    }

    static boolean https(Server s) {
        return s.name.endsWith("-tls");
    }

    /** Whether configuration {@code c} is measured against server {@code s}: the service, path and TLS match. */
    static boolean applies(Server s, Config c) {
        if (https(c) != https(s)) { return false; }
        return c.echo() ? s.echoPort > 0 : s.httpPort > 0 && (s.paths == null || s.paths.contains(c.path()));
    }
}

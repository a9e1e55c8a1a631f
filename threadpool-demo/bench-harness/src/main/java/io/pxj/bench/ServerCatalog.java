package io.pxj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import io.pxj.bench.BenchModel.Server;
import io.pxj.bench.HarnessOptions.Options;

/**
 * The servers the harness knows and what they need on disk: their commands and ports (PxJ's demo and PxJ as a
 * library, Netty's transports, the JDK HttpServer, the NIO.2 server, on Linux the {@link Anchors}, the HTTPS pair),
 * the choice among them by {@code --servers} / {@code --portable}, the PxJ-as-a-library fallback, the document root
 * ({@code out/www}) and the HTTPS key store ({@code out/tls}). HTTP ports count up from {@code --port-base}, echo
 * ports from {@code --port-base + 100}.
 *
 * <p>Threading: not thread-safe; only the harness thread uses it. What a run should know (a server left out, keytool
 * failing, a fallback taken) goes to the {@code note} sink it was given, on that thread.
 */
final class ServerCatalog {
    /** The servers that run on every OS (no Netty native transports). */
    static final List<String> PORTABLE_SERVERS = List.of("pxj", "pxj-echo", "nio2", "jdk-httpserver");
    private static final String TLS_PASSWORD = "pxj-bench";

    private final Options opt;
    private final Path out;
    private final Path www;
    private final int httpBase;
    private final int echoBase;
    private final Consumer<String> note;

    /** {@code note} receives the lines for the report's notes, in the order they arise. */
    ServerCatalog(Options opt, Consumer<String> note) {
        this.opt = opt;
        this.out = opt.out;
        this.www = out.resolve("www");
        this.httpBase = opt.portBase;
        this.echoBase = opt.portBase + 100;
        this.note = note;
    }

    /**
     * The servers of this run, unstarted: those named by {@code --servers} ({@code jdk} for jdk-httpserver), else
     * every one but PxJ as a library and PxJ on the JDK transport (only the portable ones with
     * {@code --portable}).
     */
    List<Server> servers() {
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
            if (Harness.LINUX) { // the JDK transport, opt-in, for comparing it with the default epoll one
                List<String> n = new ArrayList<>(java);
                n.addAll(List.of("-Dpxj.backend=nio", "-jar", opt.demoJar.toString(), "http", "--host", "127.0.0.1",
                        "--port", Integer.toString(httpBase + 12), "--root", www.toString()));
                all.add(new Server("pxj-nio", n, httpBase + 12, 0));
            }
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
        if (Harness.LINUX) { all.addAll(anchors()); }
        httpsServers(all, java, bench);

        all.add(pxjLib(false));
        all.add(pxjLib(true));

        if (opt.demoJar == null) { note.accept("PxJ demo skipped: demo jar not found (" + opt.demoJarHint + ")"); }
        List<Server> chosen = new ArrayList<>();
        for (Server s : all) {
            boolean optIn = s.name.startsWith("pxj-lib") || s.name.equals("pxj-nio");
            if (opt.servers == null ? !optIn && (!opt.portable || PORTABLE_SERVERS.contains(s.name))
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
    String prepare(Server s) {
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

    /** The HTTPS servers' key store: an EC P-256 self-signed certificate for 127.0.0.1, made once per run. */
    void prepareKeystore() throws IOException, InterruptedException {
        Path p12 = out.resolve("tls").resolve("bench.p12");
        Files.createDirectories(p12.getParent());
        Files.deleteIfExists(p12);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", TLS_PASSWORD, "-keypass", TLS_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) { note.accept("HTTPS servers: keytool failed: " + output.trim()); }
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
     * io.pxj.services yet), measures PxJ as a library instead, so PxJ still has a row: starts it with {@code start}
     * and adds it to {@code servers}.
     */
    void fallbacks(List<Server> servers, Consumer<Server> start) {
        if (opt.servers != null) { return; }
        String[][] pairs = {{"pxj", "pxj-lib", "false"}, {"pxj-echo", "pxj-lib-echo", "true"}};
        for (String[] p : pairs) {
            Server demo = servers.stream().filter(s -> s.name.equals(p[0])).findFirst().orElse(null);
            if (demo != null && demo.skipped == null) { continue; }
            Server lib = pxjLib(Boolean.parseBoolean(p[2]));
            start.accept(lib);
            servers.add(lib);
            if (lib.skipped == null) {
                note.accept(p[0] + " (demo) could not run" + (demo == null ? " (no demo jar)" : ": " + demo.skipped)
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

    /** The document root every HTTP server serves: its 64 KiB static file, the same bytes at every run. */
    void prepareRoot() throws IOException {
        Path f = www.resolve("static").resolve("64k.bin");
        Files.createDirectories(f.getParent());
        byte[] data = new byte[64 * 1024];
        new Random(64).nextBytes(data);
        Files.write(f, data);
    }}

package io.pxj.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pxj.bench.BenchModel.Config;

import static io.pxj.bench.Harness.LINUX;

/**
 * The harness's command line: {@link Options} (defaults, parsing and checks) and the CPU pinning of servers and load
 * clients ({@link Pin}, {@link #choosePin}).
 *
 * <p>Threading: not thread-safe; an {@link Options} is built and then read by the harness's single thread.
 */
final class HarnessOptions {
    private HarnessOptions() {
    }

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
        String ab = "ab";
        String nginx = "nginx";
        String cc = "cc";
        Path floorSource = Path.of("threadpool-demo/bench/src/main/c/epoll-floor.c");
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
                    case "--ab" -> o.ab = args[++i];
                    case "--nginx" -> o.nginx = args[++i];
                    case "--cc" -> o.cc = args[++i];
                    case "--floor-source" -> o.floorSource = Path.of(args[++i]);
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
                                + "pxj,pxj-echo,pxj-nio,pxj-lib,pxj-lib-echo,netty-epoll,netty-nio,netty-io_uring,"
                                + "jdk-httpserver,nio2,nginx,epoll-floor,pxj-tls,netty-tls]"
                                + " [--configs "
                                + String.join(",", BenchModel.allConfigs().stream().map(Config::id).toList()) + "]"
                                + " [--echo-client auto|demo|bench] [--http-client wrk|load] [--client-warmup S]"
                                + " [--baseline NAME] [--portable] [--strict] [--strict-ordering] [--pin "
                                + "SERVER_CPUS:CLIENT_CPUS | --no-pin]"
                                + " [--port-base P] [--no-alloc] [--server-jvm-args '...']"
                                + " [--wrk PATH] [--ab PATH] [--nginx PATH] [--cc PATH] [--floor-source FILE.c]");
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
            o.floorSource = o.floorSource.toAbsolutePath();
            o.nginx = Anchors.nginxBinary(o.nginx, System.getenv("PATH"));
            o.out = o.out.toAbsolutePath();
            if (!Files.isRegularFile(o.benchJar)) {
                throw new UncheckedIOException(new IOException("no bench jar at " + o.benchJar));
            }
            return o;
        }
    }
}

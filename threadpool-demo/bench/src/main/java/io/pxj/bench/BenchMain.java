package io.pxj.bench;

import java.util.Arrays;

/**
 * {@code java -jar pxj-bench.jar COMMAND ...}: {@code harness} (the comparison), {@code alloc} (PxJ bytes per
 * request), {@code jmh} (microbenchmarks; the rest is passed to JMH), {@code echo-load}, or a reference server:
 * {@code netty}, {@code jdk}, {@code nio2}; {@code ordering RUNS.csv [--previous ORDERING.txt]} re-reads a run's
 * results.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String cmd = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (cmd) {
            case "harness" -> Harness.main(rest);
            case "alloc" -> AllocBench.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "echo-load" -> EchoLoad.main(rest);
            case "netty" -> io.pxj.bench.ref.NettyServer.main(rest);
            case "jdk" -> io.pxj.bench.ref.JdkHttpServer.main(rest);
            case "nio2" -> io.pxj.bench.ref.Nio2Server.main(rest);
            case "ordering" -> {
                try {
                    System.exit(RunAnalysis.reanalyse(rest, System.out) == 0 ? 0 : 4);
                } catch (IllegalArgumentException | java.io.IOException e) {
                    System.err.println("ordering: " + e.getMessage());
                    System.exit(2);
                }
            }
            default -> {
                System.out.println("usage: java -jar pxj-bench.jar "
                        + "harness|alloc|jmh|echo-load|netty|jdk|nio2|ordering [options]");
                System.out.println("  jmh: e.g. 'jmh -f 1 -wi 3 -i 5 io.pxj.bench.jmh' (JMH's own options; -h lists "
                        + "them)");
                System.exit(cmd.equals("help") || cmd.equals("-h") || cmd.equals("--help") ? 0 : 2);
            }
        }
    }
}

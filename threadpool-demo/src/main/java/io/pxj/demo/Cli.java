package io.pxj.demo;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Argument checks and exit codes shared by the commands; each check failure is a picocli usage error (message +
 * usage, exit 2). Threading: stateless, thread-safe.
 */
public final class Cli {
    /** Exit code for failures at run time. */
    public static final int EXIT_FAILURE = 1;

    private Cli() {}

    public static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    public static void check(CommandSpec spec, boolean ok, String message) {
        if (!ok) { throw usage(spec, message); }
    }

    /** A local address to listen on: {@code host} must resolve, {@code port} 0..65535 (0: any free port). */
    public static InetSocketAddress bindAddress(CommandSpec spec, String host, int port) {
        check(spec, port >= 0 && port <= 65535, "--port must be 0..65535 (0 picks a free port): " + port);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw usage(spec, "--host '" + host + "' is not a known host name or address");
        }
    }

    /** How to reach {@code bound} from this machine, e.g. 127.0.0.1 for a wildcard bind. */
    public static String reachableHost(InetSocketAddress bound) {
        InetAddress a = bound.getAddress();
        if (a == null || a.isAnyLocalAddress()) { return "127.0.0.1"; }
        String h = a.getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /** {@code 1,234,567}. */
    public static String grouped(long n) {
        return String.format("%,d", n);
    }
}

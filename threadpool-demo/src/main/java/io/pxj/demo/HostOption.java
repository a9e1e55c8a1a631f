package io.pxj.demo;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;

/**
 * The {@code --host} option every server command takes (a picocli mixin): the address to listen on.
 *
 * <p>Threading: filled in by picocli before the command runs; read on the command's thread.
 */
public final class HostOption {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description
            = "Address to listen on (default: ${DEFAULT-VALUE}, every interface; the JVM's dual-stack socket then "
            + "also accepts IPv6, and reports [::]; '127.0.0.1' or '::1' for loopback only).")
    String host;

    /** The address to bind, {@code port} on this host; a usage error naming the bad value otherwise. */
    public InetSocketAddress bindAddress(CommandSpec spec, int port) {
        return Cli.bindAddress(spec, host, port);
    }
}

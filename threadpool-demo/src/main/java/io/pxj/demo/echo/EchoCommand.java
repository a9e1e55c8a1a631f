package io.pxj.demo.echo;

import io.pxj.demo.Cli;
import io.pxj.demo.HostOption;
import io.pxj.demo.Lifecycle;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/** {@code echo}: one echo-family service of io.pxj.services on a port. */
@Command(name = "echo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        usageHelpWidth = 100,
        versionProvider = io.pxj.demo.Version.class,
        header = "Echo-family TCP services: echo, upper, lines, discard, daytime, chargen.",
        description = {"Serves an echo-family protocol (io.pxj.services) until Ctrl-C.",
                "Services: echo, upper (echo upper-cased), lines (echo per line), discard, daytime, chargen."},
        footer = {"", "Example: java -jar threadpool-demo.jar echo --port 7007 --service upper"})
public final class EchoCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EchoCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7",
            description = "TCP port (default: ${DEFAULT-VALUE}, the echo port; 0 picks a free one).")
    int port;

    @Mixin
    HostOption listen;

    @Option(names = {"-s", "--service"}, paramLabel = "NAME", defaultValue = "echo",
            converter = ServiceConverter.class, completionCandidates = EchoService.Names.class,
            description = "Service: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EchoService service;

    @Option(names = "--threads", paramLabel = "N", description = "Pool/event-loop threads (default: cores).")
    Integer threads;

    @Override
    public Integer call() {
        InetSocketAddress bind = listen.bindAddress(spec, port);
        Cli.check(spec, threads == null || threads >= 1, "--threads must be >= 1: " + threads);
        Px.Builder builder = Px.builder();
        if (threads != null) { builder.threads(threads); }
        Px px = builder.build();
        Server server;
        try {
            server = px.server(bind, service.factory());
        } catch (RuntimeException e) {
            px.close(Lifecycle.CLOSE_TIMEOUT);
            throw e;
        }
        InetSocketAddress local = server.localAddress();
        System.out.printf("PxJ echo service '%s' listening on tcp://%s:%d/ (bound to %s, backend %s)%n",
                service.cliName(), Cli.reachableHost(local), local.getPort(), local, px.backendName());
        System.out.flush();
        log.info("echo: serving '{}' ({}) on {}; Ctrl-C to stop", service.cliName(), service.description(), local);
        Lifecycle.runUntilShutdown(px, "echo");
        return 0;
    }

    /** Accepts the lower-case service names (and echo-upper style aliases). */
    static final class ServiceConverter implements picocli.CommandLine.ITypeConverter<EchoService> {
        @Override
        public EchoService convert(String value) {
            try {
                return EchoService.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

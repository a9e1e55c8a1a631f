package io.pxj.bench;

import io.pxj.runtime.Px;
import io.pxj.runtime.Server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * PxJ as a library, without the demo: an echo port (the zero-copy {@link AllocBench.EchoProtocol}) and, when
 * io.pxj.http is in the build, an HTTP port with the TechEmpower routes and a static root. The harness uses it
 * ("pxj-lib") when the demo's own servers cannot start, and on request ({@code --servers pxj-lib}).
 *
 * <pre>java -cp pxj-bench.jar io.pxj.bench.PxjServer [--port P] [--echo-port E] [--root DIR] [--threads N]</pre>
 */
public final class PxjServer {
    private PxjServer() {}

    public static void main(String[] args) {
        int port = 0, echoPort = 0, threads = Runtime.getRuntime().availableProcessors();
        Path root = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--echo-port" -> echoPort = Integer.parseInt(args[++i]);
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "\nusage: PxjServer [--port P] [--echo-port E] [--root DIR] [--threads N]");
            }
        }
        try (Px px = Px.builder().threads(threads).build()) {
            StringBuilder what = new StringBuilder("pxj-lib (backend " + px.backendName() + ", " + threads
                    + " threads)");
            if (port > 0) {
                Server http = HttpServers.start(px, new InetSocketAddress(port), root);
                what.append(" http on ").append(http.localAddress());
            }
            if (echoPort > 0) {
                Server echo = px.server(new InetSocketAddress(echoPort), AllocBench.EchoProtocol::new);
                what.append(" echo on ").append(echo.localAddress());
            }
            System.out.println(what);
            Runtime.getRuntime().addShutdownHook(new Thread(px::shutdown, "pxj-lib-shutdown"));
            px.run();
        }
    }
}

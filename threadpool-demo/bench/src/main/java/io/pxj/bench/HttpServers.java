package io.pxj.bench;

import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The io.pxj.http side of {@link AllocBench} and {@link PxjServer}: the real HTTP server with TechEmpower routes. */
final class HttpServers {
    private HttpServers() {}

    static HttpServer techEmpower(Path root) {
        HttpServer.Builder b = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .route("/json", TechEmpower.json());
        if (root != null) { b.staticRoot(root); }
        return b.build();
    }

    /** Starts the server on {@code px} (main thread). */
    static Server start(Px px, InetSocketAddress address, Path root) {
        return techEmpower(root).start(px, address).server();
    }

    static void measurePlaintext(int requests, int warmup, int connections, String prefix,
                                 com.sun.management.ThreadMXBean mx) throws Exception {
        for (String path : new String[] {"/plaintext", "/json"}) {
            AllocBench.measure("http " + path + " (io.pxj.http, TechEmpower handler)",
                    px -> start(px, new InetSocketAddress("127.0.0.1", 0), null),
                    AllocBench.Client.HTTP, path, requests, warmup, connections, prefix, mx);
        }
        // a tenth as many connections as requests: each one costs the client a connect and the server a TIME_WAIT
        AllocBench.measure("http /plaintext churn (io.pxj.http, one HTTP/1.0 request per connection)",
                px -> start(px, new InetSocketAddress("127.0.0.1", 0), null),
                AllocBench.Client.HTTP_CLOSE, "/plaintext", Math.max(1, requests / 10), Math.max(1, warmup / 10),
                connections, prefix, mx);
    }
}

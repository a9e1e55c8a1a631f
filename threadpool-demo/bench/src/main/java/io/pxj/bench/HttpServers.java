package io.pxj.bench;

import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.tls.TlsContexts;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

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

    /** As {@link #start}, serving HTTPS with {@code tls}. */
    static Server startTls(Px px, InetSocketAddress address, SSLContext tls) {
        HttpServer.Builder b = HttpServer.builder().route("/plaintext", TechEmpower.plaintext())
                .route("/json", TechEmpower.json()).tls(tls);
        return b.build().start(px, address).server();
    }

    /** Bytes per request for /plaintext and /json, and per connection for one /plaintext request per connection. */
    static void measurePlaintext(int requests, int warmup, int connections, String prefix,
                                 com.sun.management.ThreadMXBean mx) throws Exception {
        for (String path : new String[] {"/plaintext", "/json"}) {
            AllocBench.measure("http " + path + " (io.pxj.http, TechEmpower handler)",
                    px -> start(px, new InetSocketAddress("127.0.0.1", 0), null),
                    AllocBench.Client.HTTP, path, requests, warmup, connections, prefix, mx);
        }
        // Connections cost more than requests (a socket, a selection key, the kernel's accept and close): a tenth as
        // many gives the same precision per connection in a comparable time.
        AllocBench.measure("http-churn /plaintext (io.pxj.http, one request per connection)",
                px -> start(px, new InetSocketAddress("127.0.0.1", 0), null),
                AllocBench.Client.CHURN, "/plaintext", Math.max(1, requests / 10), Math.max(1, warmup / 10),
                connections, prefix, mx);
        // HTTPS: the same route over TLS 1.3 (keep-alive: the handshakes happen in the warm-up).
        TlsContexts.SelfSigned cert = TlsContexts.selfSigned(Duration.ofDays(1), "127.0.0.1");
        AllocBench.tlsClient = cert.clientContext().getSocketFactory();
        AllocBench.measure("https /plaintext (io.pxj.http over TLS 1.3, JDK SSLEngine)",
                px -> startTls(px, new InetSocketAddress("127.0.0.1", 0), cert.serverContext()),
                AllocBench.Client.HTTPS, "/plaintext", requests, warmup, connections, prefix, mx);
    }
}

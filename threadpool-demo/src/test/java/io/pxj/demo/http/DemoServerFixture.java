package io.pxj.demo.http;

import io.pxj.demo.wiki.WikiIndex;
import io.pxj.http.HttpServer;
import io.pxj.runtime.Px;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo's HTTP app on a real runtime and io.pxj.http server, in this JVM, on an ephemeral loopback port: a
 * dedicated thread builds the runtime (so it is the main thread), publishes the index, starts the server and runs
 * {@code px.run()} until {@link #close()}.
 */
final class DemoServerFixture implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final LiveMetrics metrics = new LiveMetrics(System.nanoTime());
    private final Thread main;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Px px;
    private final InetSocketAddress address;

    DemoServerFixture(WikiIndex index, Path staticRoot) throws Exception {
        CompletableFuture<InetSocketAddress> started = new CompletableFuture<>();
        main = new Thread(() -> {
            try {
                Px p = Px.builder().threads(2).build();
                px = p;
                try {
                    if (index != null) p.publish(WikiIndex.PUBLISHED_NAME, index);
                    DemoHttpApp app = new DemoHttpApp(p::stats, metrics, DashboardResources.load());
                    HttpServer.Running r = app.server(staticRoot)
                            .start(p, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    started.complete(r.localAddress());
                    p.run();
                } finally {
                    p.close(Duration.ofSeconds(5));
                }
                done.complete(null);
            } catch (Throwable t) {
                started.completeExceptionally(t);
                done.completeExceptionally(t);
            }
        }, "demo-fixture-main");
        main.setDaemon(true);
        main.start();
        address = started.get(30, TimeUnit.SECONDS);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    int port() {
        return address.getPort();
    }

    HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        Px p = px;
        if (p != null) p.shutdown();
        done.get(20, TimeUnit.SECONDS);
    }
}

package io.pxj.bench.ref;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's built-in {@code com.sun.net.httpserver} with an executor of (by default) cores threads. Static files
 * are read once and served from memory. No echo port (it is an HTTP-only server).
 *
 * <pre>java -cp pxj-bench.jar io.pxj.bench.ref.JdkHttpServer --port 8082 [--threads N] [--root DIR]</pre>
 */
public final class JdkHttpServer {
    private static final String USAGE = "JdkHttpServer --port P [--threads N] [--root DIR]";

    private JdkHttpServer() {}

    public static void main(String[] args) throws IOException {
        RefArgs a = RefArgs.parse(args, USAGE);
        int port = a.getInt("port", 8080);
        Path root = a.root();
        // Without TCP_NODELAY the separate header and body writes meet Nagle + delayed ACK: 40 ms per request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 8192);
        ExecutorService pool = Executors.newFixedThreadPool(a.threads());
        server.setExecutor(pool);
        server.createContext("/plaintext", ex -> send(ex, "text/plain", RefHttp.PLAINTEXT));
        server.createContext("/json", ex -> send(ex, "application/json", RefHttp.json()));
        server.createContext("/", ex -> {
            byte[] body = RefHttp.staticBytes(root, ex.getRequestURI().getPath());
            if (body == null) { send(ex, 404, null, new byte[0]); }
            else { send(ex, "application/octet-stream", body); }
        });
        server.start();
        System.out.println("jdk-httpserver http on " + server.getAddress() + ", executor of " + a.threads()
                + " thread(s)");
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        send(ex, 200, type, body);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes(); // drain, so the connection can be reused
            if (!"GET".equals(ex.getRequestMethod())) {
                status = 405;
                body = new byte[0];
                type = null;
            }
            Headers h = ex.getResponseHeaders();
            if (type != null) { h.set("Content-Type", type); }
            h.set("Server", RefHttp.SERVER);
            // The JDK server adds Date itself.
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}

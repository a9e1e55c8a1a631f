package io.pxj.demo.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Ctrl-C (SIGTERM) stops the demo servers gracefully after they served: exit 0 or 143, the shutdown hook's and
 * the close's log lines, no stack trace. The other end-to-end tests check the same when they stop a server, except
 * on Windows, where only these tests report the gap (skipped, with the reason).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = DemoJar.NO_GRACEFUL_STOP_ON_WINDOWS)
class GracefulStopIT {

    @Test
    void httpServerStopsGracefullyAfterServing() throws Exception {
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.HTTP_LISTENING, 120, "http", "--port", "0",
                "--host", "127.0.0.1", "--index-keys", "0")) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(s.uri("/plaintext"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            s.stopGracefully("http");
        }
    }

    @Test
    void sigtermTurnsReadinessTo503WhileServingGoesOnThenDrains() throws Exception {
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.HTTP_LISTENING, 120, "http", "--port", "0",
                "--host", "127.0.0.1", "--index-keys", "0", "--drain-delay", "1.5")) {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, get(client, s, "/readyz").statusCode());
            s.process.toHandle().destroy(); // SIGTERM, as a service manager or an orchestrator sends it
            long t0 = System.nanoTime();
            HttpResponse<String> ready = get(client, s, "/readyz");
            while (ready.statusCode() == 200 && System.nanoTime() - t0 < 1_000_000_000L) {
                Thread.sleep(20);
                ready = get(client, s, "/readyz");
            }
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals(200, get(client, s, "/plaintext").statusCode(), "still serving during the drain delay");
            s.stopGracefully("http");
            String log = s.err.text();
            int notReady = log.indexOf("drain: readiness now 503");
            int stopsAccepting = log.indexOf("stops accepting");
            int finished = log.indexOf("finished every connection");
            int stopped = log.indexOf("http: stopped");
            assertTrue(notReady >= 0 && notReady < stopsAccepting && stopsAccepting < finished && finished < stopped,
                    "each drain step logged, in order:\n" + log);
        }
    }

    private static HttpResponse<String> get(HttpClient client, DemoJar.Server s, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void echoServerStopsGracefullyAfterServing() throws Exception {
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.ECHO_LISTENING, 60, "echo", "--port", "0",
                "--host", "127.0.0.1");
             Socket socket = new Socket(s.listening.group(1), Integer.parseInt(s.listening.group(2)))) {
            socket.setSoTimeout(10_000);
            byte[] msg = "graceful".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(msg);
            assertArrayEquals(msg, socket.getInputStream().readNBytes(msg.length));
            s.stopGracefully("echo");
        }
    }
}

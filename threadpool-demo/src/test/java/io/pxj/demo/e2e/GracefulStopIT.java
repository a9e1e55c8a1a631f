package io.pxj.demo.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

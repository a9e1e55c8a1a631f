package io.pxj.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** nginx's generated configuration and command line, and the epoll floor built from its C source and exercised. */
class AnchorsTest {
    private static final Path FLOOR_SOURCE = Path.of("../bench/src/main/c/epoll-floor.c");

    @Test
    void nginxConfigHasOneWorkerNoAccessLogUncappedKeepAliveAndTheBodies() {
        String c = Anchors.nginxConfig(Path.of("/r/nginx"), 18210, Path.of("/r/www"), null);
        assertTrue(c.contains("worker_processes 1;\ndaemon off;\nmaster_process on;\n"), c);
        assertFalse(c.contains("user "), "no user directive unless the master runs as root");
        assertTrue(c.contains("pid /r/nginx/nginx.pid;"), c);
        assertTrue(c.contains("error_log /r/nginx/error.log warn;"), c);
        assertTrue(c.contains("access_log off;"), c);
        assertTrue(c.contains("keepalive_requests 1000000000;"), c);
        assertTrue(c.contains("listen 127.0.0.1:18210;"), c);
        assertTrue(c.contains("location = /plaintext {\n            default_type text/plain;\n"
                + "            return 200 \"Hello, World!\";"), c);
        assertTrue(c.contains("location = /json {\n            default_type application/json;\n"
                + "            return 200 '{\"message\":\"Hello, World!\"}';"), c);
        assertTrue(c.contains("location /static/ {\n            root /r/www;"), c);
        assertTrue(c.contains("client_body_temp_path /r/nginx/temp/client_body;"), c);
        assertEquals(c.chars().filter(ch -> ch == '{').count(), c.chars().filter(ch -> ch == '}').count());
        assertTrue(Anchors.nginxConfig(Path.of("/r/nginx"), 1, Path.of("/w"), "root").contains("user root;\n"));
    }

    @Test
    void nginxRunsInTheForegroundWithItsOwnPrefixAndErrorLog(@TempDir Path dir) throws IOException {
        assertEquals(List.of("/usr/sbin/nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-e",
                dir.resolve("error.log").toString()), Anchors.nginxCommand("/usr/sbin/nginx", dir));
        Path conf = Anchors.writeNginxConfig(dir, 18210, dir.resolve("www"));
        assertTrue(Files.readString(conf).contains("listen 127.0.0.1:18210;"));
        assertTrue(Files.isDirectory(dir.resolve("temp")));
        assertEquals("/opt/nginx", Anchors.nginxBinary("/opt/nginx", "/nowhere"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = Files.writeString(bin.resolve("nginx-test-binary"), "");
        assertTrue(fake.toFile().setExecutable(true));
        assertEquals("nginx-test-binary", Anchors.nginxBinary("nginx-test-binary", bin.toString()));
    }

    @Test
    void floorCommandsAndBuildErrorsNameTheProblem(@TempDir Path dir) {
        assertEquals(List.of("cc", "-O2", "-o", "/o/epoll-floor", "/s/f.c"),
                Anchors.floorBuildCommand("cc", Path.of("/s/f.c"), Path.of("/o/epoll-floor")));
        assertEquals(List.of("/o/f", "--host", "127.0.0.1", "--http-port", "1", "--echo-port", "2"),
                Anchors.floorCommand(Path.of("/o/f"), 1, 2));
        assertEquals(List.of("/o/f", "--host", "127.0.0.1", "--echo-port", "2"), Anchors.floorCommand(Path.of("/o/f"),
                0, 2));
        String noSource = Anchors.buildFloor("cc", dir.resolve("missing.c"), dir.resolve("f"));
        assertTrue(noSource.startsWith("no C source at "), noSource);
        String noCc = Anchors.buildFloor(dir.resolve("no-such-cc").toString(), FLOOR_SOURCE.toAbsolutePath(),
                dir.resolve("f"));
        assertTrue(noCc.startsWith("cannot run "), noCc);
    }

    /** Builds the floor with the system compiler and checks what the harness relies on: HTTP, pipelining, echo. */
    @Test
    void floorAnswersPlaintextJsonPipelinedRequestsAndEchoes(@TempDir Path dir) throws Exception {
        assumeTrue(Harness.LINUX && Files.isExecutable(Path.of("/usr/bin/cc")), "needs Linux and /usr/bin/cc");
        Path bin = dir.resolve("epoll-floor");
        assertNull(Anchors.buildFloor("/usr/bin/cc", FLOOR_SOURCE.toAbsolutePath(), bin));
        int http = freePort();
        int echo = freePort();
        Process p = new ProcessBuilder(Anchors.floorCommand(bin, http, echo)).redirectErrorStream(true).start();
        try {
            String banner = new String(p.getInputStream().readNBytes(20), StandardCharsets.US_ASCII);
            assertEquals("epoll-floor: one thr", banner);
            ServerChecks.checkHttp(http, Anchors.FLOOR_PATHS);
            ServerChecks.checkEcho(echo);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", http), 2000);
                s.setSoTimeout(5000);
                OutputStream o = s.getOutputStream();
                // Three pipelined requests, the second split across two writes; the third asks to close.
                o.write("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\nGET /json HTTP/1.1\r\nHo".getBytes(
                        StandardCharsets.US_ASCII));
                o.flush();
                Thread.sleep(50);
                o.write("st: x\r\n\r\nGET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertEquals(3, all.split("HTTP/1.1 200 OK", -1).length - 1, all);
                assertTrue(all.contains("\r\n\r\n{\"message\":\"Hello, World!\"}HTTP/1.1 200 OK"), all);
                assertTrue(all.endsWith("\r\n\r\nHello, World!"), all);
            }
            try (Socket s = new Socket()) { // HTTP/1.0 without keep-alive: answered, then closed (ab's churn)
                s.connect(new InetSocketAddress("127.0.0.1", http), 2000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /plaintext HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String r = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(r.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"), r);
            }
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package io.pxj.demo.e2e;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo server and the load generator, each as its own process. */
class LoadAndEchoDemoIT {
    @Test
    void echoAndUpperServices() throws Exception {
        DemoJar.assumeParts("runtime-core", "io.pxj.services");
        for (String[] c : new String[][] {{"echo", "Hello, PxJ\n", "Hello, PxJ\n"}, {"upper", "Hello, PxJ\n", "HELLO, PXJ\n"}}) {
            try (DemoJar.Server s = DemoJar.Server.start(DemoJar.ECHO_LISTENING, 60, "echo", "--port", "0",
                    "--host", "127.0.0.1", "--service", c[0]);
                 Socket socket = new Socket(s.listening.group(1), Integer.parseInt(s.listening.group(2)))) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(c[1].getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] got = in.readNBytes(c[2].length());
                assertEquals(c[2], new String(got, StandardCharsets.US_ASCII), c[0]);
                s.stop();
            }
        }
    }

    @Test
    void loadAgainstTheHttpServer() throws Exception {
        DemoJar.assumeParts("runtime-core", "io.pxj.http");
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.HTTP_LISTENING, 120, "http", "--port", "0",
                "--host", "127.0.0.1", "--index-keys", "0")) {
            String url = s.uri("/plaintext").toString();
            DemoJar.Result closed = DemoJar.run(60, "load", "http", "-c", "4", "-d", "2", "-p", "2", url);
            assertEquals(0, closed.exitCode(), closed.toString());
            assertSummary(closed);
            assertTrue(closed.out().contains("2xx "), closed.toString());

            DemoJar.Result paced = DemoJar.run(60, "load", "http", "-c", "2", "-d", "2", "--rate", "200", url);
            assertEquals(0, paced.exitCode(), paced.toString());
            assertSummary(paced);
            assertTrue(paced.out().contains("corrected (from intent)"), paced.toString());
            s.stop();
        }
    }

    @Test
    void loadAgainstTheEchoServer() throws Exception {
        DemoJar.assumeParts("runtime-core", "io.pxj.services");
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.ECHO_LISTENING, 60, "echo", "--port", "0",
                "--host", "127.0.0.1")) {
            String target = s.listening.group(1) + ":" + s.listening.group(2);
            DemoJar.Result r = DemoJar.run(60, "load", "echo", "-c", "2", "-d", "2", "--size", "300", "-p", "3", target);
            assertEquals(0, r.exitCode(), r.toString());
            assertSummary(r);
            s.stop();
        }
    }

    private static void assertSummary(DemoJar.Result r) {
        assertTrue(r.out().contains("requests completed"), r.toString());
        assertTrue(r.out().matches("(?s).*p50\\s+p90\\s+p99\\s+p99\\.9\\s+max\\s+mean.*"), r.toString());
        assertTrue(r.out().contains(" req/s   p50 "), "progress lines: " + r);
        assertTrue(r.out().matches("(?s).*\\n  errors\\s+0\\n.*"), "no errors: " + r);
    }
}

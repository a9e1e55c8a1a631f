package io.pxj.demo.e2e;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo-family services and the load generator, each as its own process. */
class LoadAndEchoDemoIT {
    private static final Pattern COMPLETED =
            Pattern.compile("\\n  requests completed\\s+([\\d,]+) in [\\d.]+ s = ([\\d,]+\\.\\d) req/s\\R");

    interface Exchange {
        void run(Socket socket, InputStream in, OutputStream out) throws IOException;
    }

    /** Every service of the {@code echo} command, byte-exact, each in its own server process (booted together). */
    @Test
    void everyEchoServiceIsByteExact() throws Exception {
        Map<String, Exchange> checks = new LinkedHashMap<>();
        checks.put("echo", (s, in, out) -> {
            byte[] all = new byte[4096];
            for (int i = 0; i < all.length; i++) all[i] = (byte) i; // every byte value, 16 times
            out.write(all);
            out.flush();
            assertArrayEquals(all, in.readNBytes(all.length), "echo returns every byte unchanged");
        });
        checks.put("upper", (s, in, out) -> {
            byte[] sent = "Hello, PxJ! \u00e4\u00f6\u00fc \u00df z{}\n".getBytes(StandardCharsets.UTF_8);
            out.write(sent);
            out.flush();
            byte[] want = "HELLO, PXJ! \u00e4\u00f6\u00fc \u00df Z{}\n".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(want, in.readNBytes(want.length), "ASCII letters upper-cased, UTF-8 bytes untouched");
        });
        checks.put("lines", (s, in, out) -> {
            out.write("one\ntwo\r\nthr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] first = "one\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(first, in.readNBytes(first.length));
            out.write("ee\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] rest = "three\r\n".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(rest, in.readNBytes(rest.length), "a partial line waits for its end");
        });
        checks.put("discard", (s, in, out) -> {
            out.write(new byte[64 * 1024]);
            out.flush();
            s.setSoTimeout(300);
            try {
                int b = in.read();
                throw new AssertionError("discard answered " + b);
            } catch (SocketTimeoutException expected) {
                // nothing comes back
            }
            s.setSoTimeout(10_000);
            s.shutdownOutput();
            assertEquals(-1, in.read(), "discard closes after our FIN, without sending anything");
        });
        checks.put("daytime", (s, in, out) -> {
            String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(line.matches("[A-Z][a-z]+day, [A-Z][a-z]+ \\d{1,2}, \\d{4} \\d\\d:\\d\\d:\\d\\d-\\S+\r\n"),
                    "RFC 867 line, then close: '" + line + "'");
        });
        checks.put("chargen", (s, in, out) -> {
            int lines = 200; // more than one 95-line cycle, across several sends
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            for (int l = 0; l < lines; l++) {
                for (int c = 0; c < 72; c++) want.write(' ' + (l + c) % 95);
                want.write('\r');
                want.write('\n');
            }
            assertArrayEquals(want.toByteArray(), in.readNBytes(want.size()), "RFC 864 rotating pattern");
        });

        List<DemoJar.Server.Launched> launched = new ArrayList<>();
        try {
            for (String service : checks.keySet()) {
                launched.add(DemoJar.Server.launch("echo", "--port", "0", "--host", "127.0.0.1", "--service", service,
                        "--threads", "1"));
            }
            int i = 0;
            for (Map.Entry<String, Exchange> c : checks.entrySet()) {
                DemoJar.Server server = launched.get(i++).await(DemoJar.ECHO_LISTENING, 120);
                assertTrue(server.listening.group(0).contains("'" + c.getKey() + "'"), server.listening.group(0));
                try (Socket socket = new Socket(server.listening.group(1), Integer.parseInt(server.listening.group(2)))) {
                    socket.setSoTimeout(10_000);
                    c.getValue().run(socket, socket.getInputStream(), socket.getOutputStream());
                } catch (AssertionError | IOException e) {
                    throw new AssertionError(c.getKey() + ": " + e.getMessage(), e);
                }
                server.stopAfterUse("echo");
            }
        } finally {
            for (DemoJar.Server.Launched l : launched) l.close();
        }
    }

    @Test
    void loadAgainstTheHttpServer() throws Exception {
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.HTTP_LISTENING, 120, "http", "--port", "0",
                "--host", "127.0.0.1", "--index-keys", "0")) {
            String url = s.uri("/plaintext").toString();
            DemoJar.Result closed = DemoJar.run(60, "load", "http", "-c", "4", "-d", "3", "-p", "2", url);
            assertEquals(0, closed.exitCode(), closed.toString());
            assertSummary(closed);
            assertTrue(closed.out().contains("all requests"), closed.toString());
            Matcher status = Pattern.compile("\\n  status\\s+1xx 0  2xx ([\\d,]+)  3xx 0  4xx 0  5xx 0  other 0\\R")
                    .matcher(closed.out());
            assertTrue(status.find(), "only 2xx: " + closed);
            assertEquals(completed(closed), Long.parseLong(status.group(1).replace(",", "")), closed.toString());

            DemoJar.Result paced = DemoJar.run(60, "load", "http", "-c", "2", "-d", "2", "--rate", "200", url);
            assertEquals(0, paced.exitCode(), paced.toString());
            assertSummary(paced);
            assertTrue(paced.out().contains("corrected (from intent)"), paced.toString());
            assertTrue(paced.out().contains("uncorrected (service)"), paced.toString());
            long n = completed(paced);
            assertTrue(n >= 200 && n <= 500, "about 200 req/s for 2 s: " + paced);
            s.stopAfterUse("http");
        }
    }

    @Test
    void loadAgainstTheEchoServer() throws Exception {
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.ECHO_LISTENING, 60, "echo", "--port", "0",
                "--host", "127.0.0.1")) {
            String target = s.listening.group(1) + ":" + s.listening.group(2);
            DemoJar.Result r = DemoJar.run(60, "load", "echo", "-c", "2", "-d", "2", "--size", "300", "-p", "3", target);
            assertEquals(0, r.exitCode(), r.toString());
            assertSummary(r);
            assertTrue(r.out().contains("  bytes "), r.toString());
            s.stopAfterUse("echo");
        }
    }

    @Test
    void loadAgainstNothingFailsClearly() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        DemoJar.Result r = DemoJar.run(60, "load", "http", "-c", "2", "-d", "5", "http://127.0.0.1:" + port + "/");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cannot connect to /127.0.0.1:" + port), r.toString());
        assertTrue(!r.err().contains("\tat "), r.toString());
    }

    /** Requests completed, from the summary; asserts the throughput is not zero. */
    private static long completed(DemoJar.Result r) {
        Matcher m = COMPLETED.matcher(r.out());
        assertTrue(m.find(), "summary line: " + r);
        long n = Long.parseLong(m.group(1).replace(",", ""));
        double rate = Double.parseDouble(m.group(2).replace(",", ""));
        assertTrue(n > 0 && rate > 0, "non-zero throughput: " + r);
        return n;
    }

    private static void assertSummary(DemoJar.Result r) {
        completed(r);
        assertTrue(r.out().matches("(?s).*p50\\s+p90\\s+p99\\s+p99\\.9\\s+max\\s+mean.*"), r.toString());
        Matcher progress = Pattern.compile("\\n\\s+\\d+s\\s+([\\d,]+) req/s   p50 ").matcher(r.out());
        assertTrue(progress.find(), "progress lines: " + r);
        assertTrue(r.out().matches("(?s).*\\n  errors\\s+0\\R.*"), "no errors: " + r);
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r);
    }
}

package io.pxj.demo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.tls.TlsContexts;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's HTTPS options, each run as its own process: self-signed, a PKCS#12 key store, redirects, load. */
class HttpsDemoIT {
    private static final Pattern REDIRECTING = Pattern.compile("redirecting plain HTTP on port (\\d+) to https");
    private static final HttpClient INSECURE = HttpClient.newBuilder().sslContext(TlsContexts.insecureClient())
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    private static HttpResponse<String> get(URI uri) throws Exception {
        return INSECURE.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void selfSignedServesHttpsRedirectsPlainHttpAndTakesHttpsLoad() throws Exception {
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.HTTPS_LISTENING, 120, "http", "--port", "0",
                "--host", "127.0.0.1", "--index-keys", "0", "--tls-self-signed", "--redirect-http", "0")) {
            assertTrue(s.out.text().contains("SHA-256 fingerprint "), "the fingerprint is printed:\n" + s.out.text());
            HttpResponse<String> r = get(s.uri("/plaintext"));
            assertEquals(200, r.statusCode());
            assertEquals("Hello, World!", r.body());
            assertEquals("HTTP_1_1", r.version().name());

            String line = s.out.lines.poll(10, TimeUnit.SECONDS);
            Matcher m = REDIRECTING.matcher(line == null ? "" : line);
            assertTrue(m.find(), "the redirect port is printed: " + line);
            int port = Integer.parseInt(m.group(1));
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = plain.getOutputStream();
                out.write("GET /json?a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 301"), answer);
                assertTrue(answer.contains("Location: https://127.0.0.1:" + s.uri("/").getPort() + "/json?a=1\r\n"),
                        answer);
            }

            String url = s.uri("/plaintext").toString();
            DemoJar.Result load = DemoJar.run(60, "load", "http", "-c", "4", "-d", "2", "--insecure", url);
            assertEquals(0, load.exitCode(), load.toString());
            Matcher ok = Pattern.compile("\\n  status\\s+1xx 0  2xx ([\\d,]+)  3xx 0  4xx 0  5xx 0  other 0\\R")
                    .matcher(load.out());
            assertTrue(ok.find() && !ok.group(1).equals("0"), "only 2xx over https: " + load);
            DemoJar.Result verified = DemoJar.run(60, "load", "http", "-c", "1", "-d", "1", url);
            assertNotEquals(0, verified.exitCode(), "without --insecure a self-signed server is refused: " + verified);

            String stats = get(s.uri("/stats")).body();
            assertTrue(stats.contains("\"tls\":{\"handshakesStarted\":"), stats);
            assertTrue(stats.contains("\"TLSv1.3\":"), stats);
            s.stopAfterUse("http");
        }
    }

    @Test
    void aPkcs12KeyStoreWithPasswordAndAlias(@TempDir Path dir) throws Exception {
        TlsContexts.SelfSigned cert = TlsContexts.selfSigned(Duration.ofDays(1), "localhost", "127.0.0.1");
        Path p12 = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            cert.keyStore().store(out, cert.password());
        }
        String pw = new String(cert.password());
        try (DemoJar.Server s = DemoJar.Server.start(DemoJar.HTTPS_LISTENING, 120, "http", "--port", "0",
                "--host", "127.0.0.1", "--index-keys", "0", "--tls-keystore", p12.toString(), "--tls-password", pw,
                "--tls-alias", "pxj")) {
            assertEquals("Hello, World!", get(s.uri("/plaintext")).body());
            s.stopAfterUse("http");
        }
        DemoJar.Result wrongPassword = DemoJar.run(60, "http", "--port", "0", "--tls-keystore", p12.toString(),
                "--tls-password", "wrong");
        assertEquals(1, wrongPassword.exitCode(), wrongPassword.toString());
        assertTrue(wrongPassword.err().contains("cannot read the PKCS12 key store"), wrongPassword.toString());
        DemoJar.Result wrongAlias = DemoJar.run(60, "http", "--port", "0", "--tls-keystore", p12.toString(),
                "--tls-password", pw, "--tls-alias", "nope");
        assertEquals(1, wrongAlias.exitCode(), wrongAlias.toString());
        assertTrue(wrongAlias.err().contains("no key entry named 'nope'"), wrongAlias.toString());
    }
}

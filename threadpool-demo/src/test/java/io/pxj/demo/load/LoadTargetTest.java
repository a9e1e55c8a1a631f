package io.pxj.demo.load;

import io.pxj.demo.load.LoadTarget.Mode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTargetTest {
    @Test
    void httpUrls() {
        assertEquals(new LoadTarget("127.0.0.1", 8080, "/plaintext", "127.0.0.1:8080"),
                LoadTarget.parse(Mode.HTTP, "http://127.0.0.1:8080/plaintext"));
        assertEquals(new LoadTarget("example.org", 80, "/", "example.org"), LoadTarget.parse(Mode.HTTP, "http://example.org"));
        assertEquals(new LoadTarget("localhost", 8080, "/lookup/ka?limit=5", "localhost:8080"),
                LoadTarget.parse(Mode.HTTP, "localhost:8080/lookup/ka?limit=5"));
        assertEquals(new LoadTarget("::1", 8080, "/json", "[::1]:8080"), LoadTarget.parse(Mode.HTTP, "HTTP://[::1]:8080/json"));
    }

    @Test
    void echoTargets() {
        assertEquals(new LoadTarget("127.0.0.1", 7, "", "127.0.0.1:7"), LoadTarget.parse(Mode.ECHO, "127.0.0.1:7"));
        assertEquals(new LoadTarget("::1", 7007, "", "[::1]:7007"), LoadTarget.parse(Mode.ECHO, "tcp://[::1]:7007"));
    }

    @Test
    void httpsTargets() {
        assertEquals(new LoadTarget("127.0.0.1", 8443, "/plaintext", "127.0.0.1:8443", true),
                LoadTarget.parse(Mode.HTTP, "https://127.0.0.1:8443/plaintext"));
        LoadTarget t = LoadTarget.parse(Mode.HTTP, "HTTPS://example.org/x");
        assertEquals(new LoadTarget("example.org", 443, "/x", "example.org", true), t);
        assertEquals("https://example.org/x", t.toString());
    }

    @Test
    void clearErrors() {
        assertError(Mode.HTTP, "httpx://x:1/", "unsupported scheme 'httpx'");
        assertError(Mode.ECHO, "https://x:1", "unsupported scheme 'https'");
        assertError(Mode.HTTP, "ftp://x:1/", "unsupported scheme 'ftp'");
        assertError(Mode.HTTP, "http://:80/", "no valid host");
        assertError(Mode.HTTP, "http://x:99999/", "port must be 1..65535");
        assertError(Mode.HTTP, "http://x:0/", "port must be 1..65535");
        assertError(Mode.HTTP, "http://x y/", "not a valid URL");
        assertError(Mode.HTTP, "http://u:p@x/", "user info");
        assertError(Mode.HTTP, "", "empty");
        assertError(Mode.ECHO, "127.0.0.1", "no port");
        assertError(Mode.ECHO, "127.0.0.1:7/path", "no path");
        assertError(Mode.ECHO, "http://127.0.0.1:7", "unsupported scheme 'http'");
    }

    private static void assertError(Mode mode, String spec, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadTarget.parse(mode, spec), spec);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void keepAliveGetRequest() {
        String r = new String(LoadTarget.parse(Mode.HTTP, "http://h:81/x?y=1").httpRequest(), StandardCharsets.US_ASCII);
        assertEquals("GET /x?y=1 HTTP/1.1\r\nHost: h:81\r\nUser-Agent: pxj-load\r\nAccept: */*\r\n\r\n", r);
    }

    @Test
    void durations() {
        assertEquals(java.time.Duration.ofSeconds(10), LoadCommand.parseDuration("10"));
        assertEquals(java.time.Duration.ofMillis(500), LoadCommand.parseDuration("500ms"));
        assertEquals(java.time.Duration.ofSeconds(30), LoadCommand.parseDuration("30s"));
        assertEquals(java.time.Duration.ofMinutes(2), LoadCommand.parseDuration("2m"));
        assertEquals(java.time.Duration.ofMillis(1500), LoadCommand.parseDuration("1.5"));
        assertThrows(IllegalArgumentException.class, () -> LoadCommand.parseDuration("0"));
        assertThrows(IllegalArgumentException.class, () -> LoadCommand.parseDuration("-3"));
        assertThrows(IllegalArgumentException.class, () -> LoadCommand.parseDuration("ten"));
        assertThrows(IllegalArgumentException.class, () -> LoadCommand.parseDuration("2d"));
    }
}

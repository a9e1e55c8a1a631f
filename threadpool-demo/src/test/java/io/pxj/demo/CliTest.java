package io.pxj.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command-line handling through picocli's {@code execute}, in process (no runtime needed). */
class CliTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static void assertUsageError(Result r, String message) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(message), "stderr should contain '" + message + "':\n" + r.err());
        assertTrue(r.err().contains("Usage: threadpool-demo"), "usage is printed:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    @Test
    void helpListsTheSubcommands() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String cmd : new String[] {"echo", "http", "load", "work"}) {
            assertTrue(r.out().matches("(?s).*\\n  " + cmd + "\\s+\\S.*"), cmd + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("--self-check"));
    }

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : new String[] {"echo", "http", "load", "work"}) {
            Result r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: threadpool-demo " + cmd), r.out());
        }
        assertTrue(run("http", "--help").out().contains("--index-keys"));
        assertTrue(run("load", "--help").out().contains("--pipeline"));
    }

    @Test
    void version() {
        Result r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("PxJ threadpool-demo "), r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        Result r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing command"), r.err());
    }

    @Test
    void unknownCommandAndOption() {
        assertUsageError(run("serve"), "Unmatched argument");
        assertUsageError(run("http", "--bogus"), "Unknown option: '--bogus'");
    }

    @Test
    void badValuesGetClearMessages() {
        assertUsageError(run("http", "--port", "abc"), "Invalid value for option '--port'");
        assertUsageError(run("http", "--port", "70000"), "--port must be 0..65535");
        assertUsageError(run("http", "--index-keys", "-5"), "--index-keys must be 0..100,000,000");
        assertUsageError(run("http", "--index-keys", "2000000000"), "--index-keys must be 0..100,000,000");
        assertUsageError(run("http", "--drain-delay", "-1"), "--drain-delay must be 0..300 seconds");
        assertUsageError(run("http", "--drain-delay", "soon"), "Invalid value for option '--drain-delay'");
        assertUsageError(run("http", "--name", "a,b"), "--name must be 1..64 letters");
        assertUsageError(run("http", "--root", "/definitely/not/here"), "is not a directory");
        assertUsageError(run("http", "--host", "no-such-host.invalid"), "is not a known host");
        assertUsageError(run("echo", "--service", "nope"), "unknown service 'nope'");
        assertUsageError(run("work", "--items", "0"), "--items must be");
        assertUsageError(run("work", "--threads", "0"), "--threads must be");
    }

    @Test
    void loadValidation() {
        assertUsageError(run("load", "http"), "Missing required parameter: 'TARGET'");
        assertUsageError(run("load", "ftp", "x:1"), "'ftp' is not a load mode");
        assertUsageError(run("load", "http", "-c", "0", "http://127.0.0.1:8080/"), "--connections must be");
        assertUsageError(run("load", "http", "--pipeline", "0", "127.0.0.1:8080"), "--pipeline must be");
        assertUsageError(run("load", "http", "--rate", "0", "127.0.0.1:8080"), "--rate must be");
        assertUsageError(run("load", "http", "-d", "soon", "127.0.0.1:8080"), "--duration: 'soon' is not a duration");
        assertUsageError(run("load", "http", "--size", "10", "127.0.0.1:8080"), "--size applies to echo only");
        assertUsageError(run("load", "echo", "--size", "0", "127.0.0.1:7"), "--size must be");
        assertUsageError(run("load", "http", "--insecure", "http://127.0.0.1/"), "--insecure is for https:// targets");
        assertUsageError(run("load", "echo", "127.0.0.1"), "has no port");
        assertUsageError(run("load", "http", "http://no-such-host.invalid:80/"), "cannot resolve host");
    }

    @Test
    void selfCheckProvesEveryPartOnLoopback() {
        Result r = run("--self-check");
        assertEquals(0, r.code(), r.toString());
        String out = r.out().replace("\r\n", "\n");
        assertTrue(out.matches("(?s).*\\nruntime-core: ok - backend \\w+, \\d+ pool threads, px.submitWork round trip\\n.*"), r.out());
        assertTrue(out.matches("(?s).*\\nio\\.pxj\\.http: ok - GET /plaintext on 127\\.0\\.0\\.1:\\d+ answered 200 Hello, World!\\n.*"), r.out());
        assertTrue(out.contains("\nio.pxj.services: ok - echo, upper, lines, discard, daytime, chargen; echo round trip on 127.0.0.1:"), r.out());
        assertTrue(out.contains("\nAll parts work."), r.out());
    }

    @Test
    void tlsOptionsAreCheckedTogether() {
        assertUsageError(run("http", "--tls-self-signed", "--tls-keystore", "x.p12"), "--tls-self-signed cannot be");
        assertUsageError(run("http", "--tls-keystore", "no-such-file.p12"), "is not a readable file");
        assertUsageError(run("http", "--tls-alias", "a"), "--tls-alias needs");
        assertUsageError(run("http", "--redirect-http", "8080"), "--redirect-http redirects to HTTPS");
        assertUsageError(run("http", "--tls-keystore-type", "Windows-MY", "--tls-keystore", "x.p12"),
                "drop --tls-keystore FILE");
    }

    /** The Windows-MY wiring: on Windows it reaches SunMSCAPI (see TlsContexts' Windows test), elsewhere it says why not. */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void theWindowsCertificateStoreIsRefusedClearlyOffWindows() {
        Result r = run("http", "--port", "0", "--tls-keystore-type", "Windows-MY", "--tls-alias", "my-cert");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("Windows certificate store") && r.err().contains("Windows only"), r.toString());
    }
}

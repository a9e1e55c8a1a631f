package io.pxj.hardening;

import io.pxj.http.HttpLimits;
import io.pxj.http.HttpMethod;
import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.testfakes.LivePx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The hostile request corpus ({@code hostile-requests.txt}, next to this class) against a real server on loopback
 * through raw sockets: each case gets exactly its expected statuses; an error other than 404/405 is the last
 * response, says {@code Connection: close}, and the server then closes on its own (the client reads EOF without
 * having half-closed); a secret file next to the static root is never served; and after every case a well-behaved
 * client still gets 200 from the same server.
 */
@Timeout(120)
class HostileCorpusTest {
    static final String CORPUS = "hostile-requests.txt";
    static LivePx<HttpServer.Running> live;
    static InetSocketAddress addr;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pxj-hostile");
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.writeString(www.resolve("a.txt"), "public");
        Files.writeString(dir.resolve("secret.txt"), "SECRET");
        HttpServer http = HttpServer.builder()
                .route("/plaintext", TechEmpower.plaintext())
                .route("/echo", (q, r) -> q.bodyBytes(), HttpMethod.POST)
                .staticFiles("/static", www)
                .limits(HttpLimits.builder().maxRequestLineBytes(1024).maxHeaderBytes(4096).maxHeaderCount(20)
                        .maxBodyBytes(1024).build())
                .build();
        live = LivePx.start(px -> http.start(px, new InetSocketAddress("127.0.0.1", 0)));
        addr = live.value().localAddress();
    }

    @AfterAll
    static void stop() throws Exception {
        if (live != null) {
            live.value().close();
            live.close();
        }
    }

    record Case(int line, String expected, String request) {
        @Override
        public String toString() {
            String r = request.length() > 90 ? request.substring(0, 90) + "..." : request;
            return "line " + line + ": " + expected + " <- " + r;
        }
    }

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = HostileCorpusTest.class.getResourceAsStream(CORPUS)) {
            if (in == null) throw new IOException(CORPUS + " not found");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (line.isBlank() || line.startsWith("#")) continue;
                int bar = line.indexOf(" | ");
                if (bar < 0) throw new IOException(CORPUS + ":" + n + ": expected \"statuses | request\"");
                cases.add(new Case(n, line.substring(0, bar).trim(), line.substring(bar + 3)));
            }
        }
        return cases;
    }

    static Stream<Arguments> cases() throws IOException {
        return corpus().stream().map(Arguments::of);
    }

    /** The last expected status, or -1 for "closed without a response". */
    static int lastStatus(Case c) {
        String e = c.expected();
        return e.equals("-") ? -1 : Integer.parseInt(e.substring(e.lastIndexOf(',') + 1));
    }

    /** An error response after which the server must close the connection (404/405/416 keep it open). */
    static boolean serverCloses(Case c) {
        int s = lastStatus(c);
        return s >= 400 && s != 404 && s != 405 && s != 416;
    }

    /** The README counts these; change it with the corpus. */
    @Test
    void theCorpusHasTheCasesTheReadmeCounts() throws IOException {
        List<Case> all = corpus();
        assertEquals(204, all.size(), "cases");
        assertEquals(157, all.stream().filter(HostileCorpusTest::serverCloses).count(), "error + server closes");
        assertEquals(20, all.stream().filter(c -> lastStatus(c) == 404 || lastStatus(c) == 405).count(),
                "404/405, connection kept");
        assertEquals(24, all.stream().filter(c -> c.expected().matches("200(,200)*")).count(), "answered 200 only");
        assertEquals(3, all.stream().filter(c -> lastStatus(c) == -1).count(), "closed without a response");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestGetsItsStatusAndTheServerKeepsServing(Case c) throws Exception {
        byte[] request = decode(c.request());
        // A closing error must close without help from the client; other cases half-close so that a server still
        // waiting for input (the "-" cases) or keeping the connection (200, 404, 405) ends the exchange.
        String raw = serverCloses(c) ? Raw.exchangeUntilServerCloses(addr, request) : Raw.exchange(addr, request);
        List<Raw.Resp> responses = Raw.parse(raw);
        String statuses = responses.isEmpty() ? "-"
                : responses.stream().map(r -> String.valueOf(r.status())).collect(Collectors.joining(","));
        assertEquals(c.expected(), statuses, raw);
        assertFalse(raw.contains("SECRET"), "the file outside the static root was served: " + raw);
        if (!responses.isEmpty()) {
            Raw.Resp last = responses.get(responses.size() - 1);
            if (serverCloses(c)) assertEquals("close", last.header("connection"), "an error response closes: " + raw);
        }
        assertEquals(200, Raw.getStatus(addr), "a normal client after " + c);
    }

    /** Expands the corpus escapes: \r \n \t \\ \xHH and {N*text}. */
    static byte[] decode(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '{') {
                int star = s.indexOf('*', i);
                int close = s.indexOf('}', star);
                int times = Integer.parseInt(s.substring(i + 1, star));
                String unit = new String(decode(s.substring(star + 1, close)), StandardCharsets.ISO_8859_1);
                sb.append(unit.repeat(times));
                i = close;
            } else if (ch == '\\') {
                char n = s.charAt(++i);
                switch (n) {
                    case 'r' -> sb.append('\r');
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\' -> sb.append('\\');
                    case 'x' -> {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + n + " in " + s);
                }
            } else {
                sb.append(ch);
            }
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}

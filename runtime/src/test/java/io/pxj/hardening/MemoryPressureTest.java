package io.pxj.hardening;

import io.pxj.http.HttpServer;
import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.Px;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PyParallel's soft and hard memory limits through HTTP: above {@code Px.Builder.memorySoftLimit} (arena bytes
 * in use) new connections get a polite 503 and service resumes when memory is released; a request passing
 * {@code arenaLimitPerContext} gets a 500 of its own and nothing else is affected.
 */
@Timeout(60)
class MemoryPressureTest {
    static final int HOLD = 16 << 20; // one response pinned in the arena while its client does not read

    static HttpServer server() {
        return HttpServer.builder()
                .route("/plaintext", io.pxj.http.TechEmpower.plaintext())
                .route("/hold", (q, r) -> {
                    ArenaBuffer a = q.context().allocate(HOLD);
                    byte[] kb = new byte[1024];
                    for (int i = 0; i < HOLD / kb.length; i++) a.put(kb);
                    r.body(a.nioBuffer()); // sent from the arena: pinned until the send completes
                    return null;
                })
                .route("/huge", (q, r) -> q.context().allocate(64 << 20)) // past the per-context limit
                .route("/hugejson", (q, r) -> Map.of("x", "y".repeat(40 << 20))) // fails while encoding
                .build();
    }

    /** The static-file cache is direct memory PxJ holds: it shows in stats and counts against the soft limit. */
    @Test
    void theStaticFileCacheCountsAsDirectMemoryInUse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
            throws Exception {
        java.nio.file.Files.write(root.resolve("page.bin"), new byte[200_000]);
        HttpServer http = HttpServer.builder().staticRoot(root).build();
        try (Live live = Live.start(Px.builder(), http)) {
            long before = live.px().stats().directBytesInUse();
            String raw = Raw.exchange(live.addr, ("GET /page.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(raw.startsWith("HTTP/1.1 200"), raw.substring(0, Math.min(200, raw.length())));
            assertTrue(Live.eventually(5_000, () -> live.px().stats().directBytesInUse() >= before + 200_000),
                    "the cached 200,000-byte file is counted: " + before + " -> " + live.px().stats());
        }
    }

    @Test
    void aboveTheSoftLimitNewConnectionsGet503AndServiceResumesBelowIt() throws Exception {
        try (Live live = Live.start(Px.builder().memorySoftLimit(4 << 20).arenaLimitPerContext(32 << 20), server())) {
            assertEquals(200, Raw.getStatus(live.addr));
            Socket holder = new Socket();
            holder.setReceiveBufferSize(4096); // before connect: a small window, so the send stays pending
            holder.connect(live.addr, 5000);
            holder.getOutputStream().write("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertTrue(Live.eventually(10_000, () -> live.px().underMemoryPressure()),
                    "arena in use: " + live.px().stats().arenaBytesInUse());

            List<Raw.Resp> r = Raw.parse(Raw.exchange(live.addr, Raw.GET_CLOSE));
            assertEquals(1, r.size());
            assertEquals(503, r.get(0).status());
            assertEquals("close", r.get(0).header("connection"));
            assertTrue(live.running.stats().rejectedConnections() >= 1);

            holder.setSoLinger(true, 0);
            holder.close(); // RST: the pending send fails, the arena is released
            assertTrue(Live.eventually(10_000, () -> !live.px().underMemoryPressure()),
                    "arena in use after the client left: " + live.px().stats().arenaBytesInUse());
            assertEquals(200, Raw.getStatus(live.addr), "service resumes below the soft limit");
        }
    }

    @Test
    void passingTheArenaLimitIsA500ForThatRequestOnly() throws Exception {
        try (Live live = Live.start(Px.builder().arenaLimitPerContext(32 << 20), server())) {
            try (Socket other = Raw.connect(live.addr)) { // a keep-alive neighbour, before and after
                other.getOutputStream().write(Raw.GET);
                assertEquals(200, Raw.readResponse(other.getInputStream()).status());
                for (String path : new String[] {"/huge", "/hugejson"}) {
                    String raw = Raw.exchange(live.addr, ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
                    List<Raw.Resp> r = Raw.parse(raw);
                    assertEquals(1, r.size(), path + ": exactly one, well-framed response: " + abbreviate(raw));
                    assertEquals(500, r.get(0).status(), path);
                    assertEquals("close", r.get(0).header("connection"), path);
                }
                other.getOutputStream().write(Raw.GET);
                InputStream in = other.getInputStream();
                assertEquals(200, Raw.readResponse(in).status(), "the neighbour is untouched");
            }
            assertTrue(live.running.stats().handlerErrors() >= 2);
            assertEquals(200, Raw.getStatus(live.addr));
        }
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "... (" + s.length() + " chars)" : s;
    }
}

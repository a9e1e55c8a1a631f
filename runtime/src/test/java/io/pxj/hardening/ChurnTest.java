package io.pxj.hardening;

import io.pxj.http.HttpServer;
import io.pxj.http.TechEmpower;
import io.pxj.runtime.Px;
import io.pxj.testfakes.Soak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection churn leaves nothing behind: two identical rounds of many short sequential connections and many
 * concurrent ones; after each, open fds, live threads, arena bytes in use, open connections and active contexts
 * return to their baseline (polled with a deadline), and the second round adds almost no heap after GC.
 *
 * <p>CI: each round 5,000 sequential and 2,000 concurrent connections (4,000 fds with both ends in this JVM; the
 * build machine's {@code ulimit -n} is 20,000). Soak ({@code -Dpxj.soak=true}): 50,000 and 10,000. When one process
 * cannot hold both ends of the concurrent connections (2 x N + 256 fds), the clients run in a child JVM
 * ({@link ChurnClient}) so the server side still holds all N at once.
 */
@Timeout(300)
class ChurnTest {
    /** Heap a first round may add while caches and pools fill (about 1 MiB measured on nio). */
    static final long WARM_UP_TOLERANCE = 32L << 20;
    /** Heap the second, identical round may add: a few KiB measured, so 256 KiB is under 40 B per connection. */
    static final long SECOND_ROUND_TOLERANCE = 256L << 10;

    @Test
    void sequentialAndConcurrentChurnReturnToBaseline() throws Exception {
        int sequential = Soak.size(5_000, 50_000);
        int concurrent = Soak.size(2_000, 10_000);
        HttpServer http = HttpServer.builder().route("/plaintext", TechEmpower.plaintext()).build();
        try (Live live = Live.start(Px.builder(), http)) {
            assertEquals(200, Raw.getStatus(live.addr)); // warm up: lazily created threads and pools
            Thread.sleep(200);
            Resources.Snapshot base = Resources.Snapshot.of(live.px().stats());
            long heapBase = Resources.heapAfterGc();

            // Two equal rounds: the first may still fill caches and pools; the second must add ~nothing, so a
            // per-connection leak of a few dozen bytes fails (7,000 connections per round in CI).
            churn(live, sequential, concurrent, base);
            long heapFirst = Resources.heapAfterGc();
            assertTrue(heapFirst <= heapBase + WARM_UP_TOLERANCE,
                    "heap after GC, first round: " + heapBase + " -> " + heapFirst);
            churn(live, sequential, concurrent, base);
            long heapSecond = Resources.heapAfterGc();
            assertTrue(heapSecond <= heapFirst + SECOND_ROUND_TOLERANCE,
                    "heap after GC grew in the second round: " + heapFirst + " -> " + heapSecond + " (+"
                            + (heapSecond - heapFirst) + " B for " + (sequential + concurrent) + " connections)");
            assertEquals(1 + 2 * (sequential + concurrent), live.running.stats().responses(2));
        }
    }

    /** {@code sequential} connections one after another, then {@code concurrent} open at once; then the baseline. */
    private static void churn(Live live, int sequential, int concurrent, Resources.Snapshot base) throws Exception {
        for (int i = 0; i < sequential; i++) {
            assertEquals(200, Raw.getStatus(live.addr), "sequential connection " + i);
        }
        long fdLimit = fdLimit();
        if (fdLimit < 0 || fdLimit >= 2L * concurrent + 256) {
            List<Socket> open = new ArrayList<>(concurrent);
            try {
                for (int i = 0; i < concurrent; i++) open.add(Raw.connect(live.addr));
                for (Socket s : open) s.getOutputStream().write(Raw.GET);
                for (Socket s : open) assertEquals(200, Raw.readResponse(s.getInputStream()).status());
                assertTrue(live.px().stats().connectionsActive() >= concurrent);
            } finally {
                for (Socket s : open) s.close();
            }
        } else {
            // One process cannot hold both ends here (e.g. a hard limit of 20,000 for 10,000 connections):
            // the clients live in a child JVM with its own fd budget, the server's connections stay here.
            concurrentInChildProcess(live, concurrent);
        }
        Resources.Snapshot[] last = {null};
        boolean back = Live.eventually(15_000, () -> (last[0] = Resources.Snapshot.of(live.px().stats())).near(base));
        assertTrue(back, "back to baseline: " + base + " -> " + last[0]);
    }

    private static void concurrentInChildProcess(Live live, int concurrent) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChurnClient.class.getName(), live.addr.getHostString(), Integer.toString(live.addr.getPort()),
                Integer.toString(concurrent)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), US_ASCII));
             Writer in = new OutputStreamWriter(child.getOutputStream(), US_ASCII)) {
            assertEquals("OPEN " + concurrent, out.readLine(), "every concurrent connection answered 200");
            assertTrue(live.px().stats().connectionsActive() >= concurrent,
                    "all " + concurrent + " connections open at once: " + live.px().stats().connectionsActive());
            in.write("close\n");
            in.flush();
            assertEquals("CLOSED", out.readLine());
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "client process exits");
        } finally {
            child.destroyForcibly();
        }
    }

    /** Max open files of this process (Linux), or -1 when unknown. */
    static long fdLimit() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) return Long.parseLong(l.substring(26).trim().split("\\s+")[0]);
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}

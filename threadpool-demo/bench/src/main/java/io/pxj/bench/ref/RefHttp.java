package io.pxj.bench.ref;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** What every reference server answers: TechEmpower plaintext and JSON, static files under /static/, a cached Date. */
final class RefHttp {
    static final String SERVER = "pxj-bench-ref";
    static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final String STATIC_PREFIX = "/static/";

    private static volatile String date = now();
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    static {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ref-date");
            t.setDaemon(true);
            return t;
        });
        s.scheduleAtFixedRate(() -> date = now(), 1000 - System.currentTimeMillis() % 1000, 1000,
                TimeUnit.MILLISECONDS);
    }

    private RefHttp() {}

    /** The current RFC 1123 date, refreshed once a second. */
    static String date() {
        return date;
    }

    private static String now() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** TechEmpower's JSON test: serialise a fresh message object per request (here by hand, no library). */
    static byte[] json() {
        String message = "Hello, World!";
        StringBuilder b = new StringBuilder(32);
        b.append("{\"message\":\"").append(message).append("\"}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The file for a {@code /static/...} path under {@code root}, or null (no root, traversal, missing, not a
     * regular file).
     */
    static Path staticFile(Path root, String path) {
        if (root == null || !path.startsWith(STATIC_PREFIX)) { return null; }
        int q = path.indexOf('?');
        if (q >= 0) { path = path.substring(0, q); }
        if (path.contains("..") || path.contains("\\")) { return null; }
        Path p = root.resolve(path.substring(1)).normalize();
        if (!p.startsWith(root) || !Files.isRegularFile(p)) { return null; }
        return p;
    }

    /** A static file's bytes, read once and cached (for servers without zero-copy file sends). */
    static byte[] staticBytes(Path root, String path) {
        if (root == null || !path.startsWith(STATIC_PREFIX)) { return null; }
        byte[] cached = CACHE.get(path);
        if (cached != null) { return cached; }
        Path p = staticFile(root, path);
        if (p == null) { return null; }
        try {
            byte[] b = Files.readAllBytes(p);
            if (CACHE.size() < 1024) { CACHE.put(path, b); }
            return b;
        } catch (IOException e) {
            return null;
        }
    }
}

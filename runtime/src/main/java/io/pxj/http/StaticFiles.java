package io.pxj.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves files under a root directory: zero-copy sends ({@link HttpResponse#file}, which becomes a
 * {@code FileRegion} whose head is the response head), content types by extension, a single byte range (206,
 * or 416 with {@code Content-Range: bytes *}{@code /len}; several ranges are answered 200 with the whole file),
 * strong ETags from size and modification time, Last-Modified, {@code If-None-Match} / {@code If-Modified-Since}
 * (304), {@code If-Range}, {@code index.html} for directories or an HTML-escaped listing, and HEAD.
 *
 * <h2>Confinement</h2>
 * The request path is already decoded and normalised ({@link HttpRequest#path()}; climbing above the root was
 * refused as 400). On top of that, segments that mean something special to some file system are answered 404 on
 * every OS, so behaviour does not depend on the platform: names containing {@code :} (Windows drive letters and
 * alternate data streams), {@code < > " | ? *}, names ending in a dot or space (Windows strips them), Windows
 * device names ({@code CON}, {@code NUL}, {@code COM1}...), and dot-files ({@code .git}, {@code .env}). Finally
 * the resolved file's real path (symbolic links resolved) must lie under the root's real path.
 *
 * <h2>Small-file cache</h2>
 * Regular files of at most {@code cacheMaxFileBytes} (default {@value #DEFAULT_CACHE_MAX_FILE}) are kept in
 * memory, in one read-only direct buffer each, up to {@code cacheBudgetBytes} in total (default
 * {@value #DEFAULT_CACHE_BUDGET}); a response shares the buffer through {@link ByteBuffer#duplicate()} (no copy
 * on the Java side, no open/fstat/sendfile/close per request). Larger files, and files that no longer fit the
 * budget (first come, first cached; nothing is evicted to make room), are sent zero-copy from the file as
 * before. A cached entry is used without touching the file system for {@code cacheRevalidateMillis} (default
 * {@value #DEFAULT_CACHE_REVALIDATE_MS} ms) after it was last validated; after that the next request resolves
 * the path again (symbolic links and the confinement check included) and compares real path, size and
 * modification time: any difference drops the entry and the file is read again. So an edit shows within
 * {@code cacheRevalidateMillis} ({@code 0}: validated on every request, which still saves the open, read and
 * close), except an edit that keeps both the size and the modification time (the ETag would not change
 * either). A budget of {@code 0} turns the cache off.
 *
 * <p>Threading: one instance serves all connections concurrently; the cache is a concurrent map of immutable
 * entries (only their validation time changes, a volatile).
 */
public final class StaticFiles implements HttpHandler {
    private static final Set<String> DEVICE_NAMES = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3",
            "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
            "lpt8", "lpt9", "conin$", "conout$");
    private static final int MAX_LISTING = 10_000;

    /** Default total size of the cached files: 32 MiB. */
    public static final long DEFAULT_CACHE_BUDGET = 32L << 20;
    /** Default largest cached file: 256 KiB. */
    public static final int DEFAULT_CACHE_MAX_FILE = 256 << 10;
    /** Default time a cached entry is trusted without looking at the file system again. */
    public static final long DEFAULT_CACHE_REVALIDATE_MS = 1000;

    private final Path root;
    private final boolean listDirectories;
    private final long cacheBudget;
    private final int cacheMaxFile;
    private final long revalidateNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();

    /** A cached file; immutable but for the validation time. */
    private static final class Cached {
        final Path real;
        final long size, mtime, mtimeSeconds;
        final ByteBuffer data; // read-only, direct; shared through duplicate()
        final String etag, lastModified, contentType;
        volatile long validatedAt;

        Cached(Path real, long size, long mtime, ByteBuffer data, long now) {
            this.real = real;
            this.size = size;
            this.mtime = mtime;
            this.mtimeSeconds = Math.floorDiv(mtime, 1000);
            this.data = data;
            this.etag = etag(mtime, size);
            this.lastModified = HttpDate.format(mtimeSeconds);
            this.contentType = MimeTypes.forFileName(real.getFileName().toString());
            this.validatedAt = now;
        }
    }

    /**
     * @param root            the directory to serve (must exist)
     * @param listDirectories whether a directory without {@code index.html} gets a listing (else 404)
     */
    public StaticFiles(Path root, boolean listDirectories) {
        this(root, listDirectories, DEFAULT_CACHE_BUDGET, DEFAULT_CACHE_MAX_FILE, DEFAULT_CACHE_REVALIDATE_MS);
    }

    /**
     * @param root                  the directory to serve (must exist)
     * @param listDirectories       whether a directory without {@code index.html} gets a listing (else 404)
     * @param cacheBudgetBytes      total bytes of file content kept in memory; 0 turns the cache off
     * @param cacheMaxFileBytes     largest file kept in memory
     * @param cacheRevalidateMillis how long a cached entry is used without checking the file; 0: every request
     * @see StaticFiles the class comment, on the cache
     */
    public StaticFiles(Path root, boolean listDirectories, long cacheBudgetBytes, int cacheMaxFileBytes,
            long cacheRevalidateMillis) {
        if (cacheBudgetBytes < 0 || cacheMaxFileBytes < 0 || cacheRevalidateMillis < 0) {
            throw new IllegalArgumentException("negative cache setting");
        }
        this.cacheBudget = cacheBudgetBytes;
        this.cacheMaxFile = cacheMaxFileBytes;
        this.revalidateNanos = TimeUnit.MILLISECONDS.toNanos(cacheRevalidateMillis);
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("static root not accessible: " + root, e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("static root is not a directory: " + root);
        }
        this.listDirectories = listDirectories;
    }

    /** Serves {@code root} with directory listings. */
    public StaticFiles(Path root) {
        this(root, true);
    }

    public Path root() {
        return root;
    }

    /** Bytes of file content held by the cache now. */
    public long cachedBytes() {
        return cachedBytes.get();
    }

    /** Files held by the cache now. */
    public int cachedFiles() {
        return cache.size();
    }

    @Override
    public Object handle(HttpRequest req, HttpResponse res) throws IOException {
        String rel = req.pathWithinRoute();
        Cached hit = cacheBudget > 0 ? cache.get(rel) : null;
        if (hit != null && System.nanoTime() - hit.validatedAt < revalidateNanos) { return cached(req, res, hit); }
        if (!safe(rel)) { throw new HttpException(404); }
        Path p = rel.isEmpty() ? root : root.resolve(rel).normalize();
        Path real;
        BasicFileAttributes attrs;
        try {
            real = p.toRealPath();
            if (!real.startsWith(root)) { // a symbolic link pointing outside
                if (hit != null) { drop(rel, hit); }
                throw new HttpException(404);
            }
            attrs = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (hit != null) { drop(rel, hit); }
            throw new HttpException(404);
        } catch (IOException | SecurityException e) {
            if (hit != null) { drop(rel, hit); }
            throw new HttpException(404); // unreadable is indistinguishable from absent, on purpose
        }
        if (attrs.isDirectory()) {
            if (hit != null) { drop(rel, hit); }
            String path = req.path();
            if (!path.endsWith("/")) {
                String q = req.rawQuery();
                return res.redirect(301, encodePath(path) + "/" + (q == null ? "" : "?" + q));
            }
            Path index = real.resolve("index.html");
            if (Files.isRegularFile(index)) {
                return file(req, res, index, Files.readAttributes(index, BasicFileAttributes.class));
            }
            if (!listDirectories) { throw new HttpException(404); }
            return res.body(listing(path, real));
        }
        // A file named like a directory ("/a.txt/") does not exist; neither do devices, pipes, sockets.
        if (!attrs.isRegularFile() || rel.endsWith("/")) {
            if (hit != null) { drop(rel, hit); }
            throw new HttpException(404);
        }
        if (cacheBudget > 0) {
            long size = attrs.size(), mtime = attrs.lastModifiedTime().toMillis();
            if (hit != null) {
                if (hit.real.equals(real) && hit.size == size && hit.mtime == mtime) {
                    hit.validatedAt = System.nanoTime();
                    return cached(req, res, hit);
                }
                drop(rel, hit);
            }
            if (size <= cacheMaxFile) {
                Cached c = load(rel, real, size, mtime);
                if (c != null) { return cached(req, res, c); }
            }
        }
        return file(req, res, real, attrs);
    }

    private void drop(String rel, Cached c) {
        if (cache.remove(rel, c)) { cachedBytes.addAndGet(-c.size); }
    }

    /** Reads {@code real} into a cache entry if the budget allows and the file holds still while read; else null. */
    private Cached load(String rel, Path real, long size, long mtime) {
        if (cachedBytes.addAndGet(size) > cacheBudget) {
            cachedBytes.addAndGet(-size);
            return null;
        }
        Cached c = null;
        try {
            ByteBuffer data = ByteBuffer.allocateDirect((int) size);
            try (FileChannel ch = FileChannel.open(real)) {
                while (data.hasRemaining() && ch.read(data) >= 0) { }
                if (!data.hasRemaining() && ch.read(ByteBuffer.allocate(1)) < 0) {
                    BasicFileAttributes after = Files.readAttributes(real, BasicFileAttributes.class);
                    if (after.size() == size && after.lastModifiedTime().toMillis() == mtime) {
                        c = new Cached(real, size, mtime, data.flip().asReadOnlyBuffer(), System.nanoTime());
                    }
                }
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            c = null; // not cached; the file is served from disk (and fails there if it must)
        }
        if (c == null || cache.putIfAbsent(rel, c) != null) {
            cachedBytes.addAndGet(-size);
            return c; // a racing request cached it first: serve ours, keep theirs
        }
        return c;
    }

    private static String etag(long mtime, long size) {
        return "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(size) + "\"";
    }

    /** {@link #file} for a cached entry: the same headers and statuses, the body from memory. */
    private static HttpResponse cached(HttpRequest req, HttpResponse res, Cached c) {
        res.header("ETag", c.etag).header("Last-Modified", c.lastModified);
        if (notModified(req, c.etag, c.mtimeSeconds)) { return res.status(304); }
        res.contentType(c.contentType).header("Accept-Ranges", "bytes");
        String range = req.method() == HttpMethod.GET ? req.header("Range") : null;
        if (range != null && ifRangeHolds(req.header("If-Range"), c.etag, c.lastModified)) {
            long[] r = parseRange(range, c.size);
            if (r == UNSATISFIABLE) {
                return res.status(416).header("Content-Range", "bytes */" + c.size);
            }
            if (r != null) {
                ByteBuffer b = c.data.duplicate();
                b.limit((int) r[1] + 1).position((int) r[0]);
                return res.status(206).header("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + c.size).body(b);
            }
        }
        return res.status(200).body(c.data.duplicate());
    }

    private static HttpResponse file(HttpRequest req, HttpResponse res, Path file, BasicFileAttributes attrs) {
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().toMillis();
        String etag = etag(mtime, size);
        long mtimeSeconds = Math.floorDiv(mtime, 1000);
        String lastModified = HttpDate.format(mtimeSeconds);
        res.header("ETag", etag).header("Last-Modified", lastModified);

        if (notModified(req, etag, mtimeSeconds)) {
            return res.status(304);
        }
        res.contentType(MimeTypes.forFileName(file.getFileName().toString())).header("Accept-Ranges", "bytes");

        String range = req.method() == HttpMethod.GET ? req.header("Range") : null;
        if (range != null && ifRangeHolds(req.header("If-Range"), etag, lastModified)) {
            long[] r = parseRange(range, size);
            if (r == UNSATISFIABLE) {
                return res.status(416).header("Content-Range", "bytes */" + size);
            }
            if (r != null) {
                long len = r[1] - r[0] + 1;
                return res.status(206).header("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size)
                        .file(file, r[0], len);
            }
        }
        return res.status(200).file(file, 0, size);
    }

    /** RFC 9110 13.1.2/13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since. */
    static boolean notModified(HttpRequest req, String etag, long mtimeSeconds) {
        String inm = req.header("If-None-Match");
        if (inm != null) {
            for (String tag : inm.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || opaque(t).equals(opaque(etag))) { return true; }
            }
            return false;
        }
        long ims = HttpDate.parse(req.header("If-Modified-Since"));
        return ims != Long.MIN_VALUE && mtimeSeconds <= ims;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** If-Range: an entity tag must match strongly, a date must equal Last-Modified exactly. */
    private static boolean ifRangeHolds(String ifRange, String etag, String lastModified) {
        if (ifRange == null) { return true; }
        String v = ifRange.trim();
        if (v.startsWith("W/")) { return false; }
        if (v.startsWith("\"")) { return v.equals(etag); }
        return v.equals(lastModified);
    }

    static final long[] UNSATISFIABLE = new long[0];

    /**
     * Parses a single byte range against {@code size}.
     *
     * @return {first, last} (inclusive), {@link #UNSATISFIABLE}, or null to ignore the header and send the
     *         whole file (syntax errors, other units, several ranges: all allowed by RFC 9110 14.2)
     */
    static long[] parseRange(String header, long size) {
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) { return null; }
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) { return null; }
        int dash = spec.indexOf('-');
        if (dash < 0) { return null; }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) {                       // suffix: the last n bytes
            long n = digits(b);
            if (n < 0) { return null; }
            if (n == 0 || size == 0) { return UNSATISFIABLE; }
            return new long[] {Math.max(0, size - n), size - 1};
        }
        long first = digits(a);
        if (first < 0) { return null; }
        long last;
        if (b.isEmpty()) {
            last = size - 1;
        } else {
            last = digits(b);
            if (last < 0 || last < first) { return null; }
            last = Math.min(last, size - 1);
        }
        if (first >= size) { return UNSATISFIABLE; }
        return new long[] {first, last};
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) { return -1; }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') { return -1; }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Refuses segments that are special on some file system (see the class comment). */
    static boolean safe(String rel) {
        if (rel.isEmpty()) { return true; }
        for (String seg : rel.split("/", -1)) {
            if (seg.isEmpty()) { continue; } // trailing slash
            if (seg.charAt(0) == '.') { return false; }
            char last = seg.charAt(seg.length() - 1);
            if (last == '.' || last == ' ') { return false; }
            for (int i = 0; i < seg.length(); i++) {
                char c = seg.charAt(i);
                if (c == ':' || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' || c == '*' || c == '\\'
                        || c < 0x20) {
                    return false;
                }
            }
            int dot = seg.indexOf('.');
            String base = (dot < 0 ? seg : seg.substring(0, dot)).trim().toLowerCase(Locale.ROOT);
            if (DEVICE_NAMES.contains(base)) { return false; }
        }
        return true;
    }

    private String listing(String urlPath, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !safe(n)) { continue; }
                if (Files.isDirectory(p)) { n += "/"; }
                names.add(n);
                if (names.size() >= MAX_LISTING) { break; }
            }
        }
        names.sort(null);
        String title = escapeHtml(urlPath);
        StringBuilder sb = new StringBuilder(256 + names.size() * 64);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ").append(title)
                .append("</title></head>\n<body><h1>Index of ").append(title).append("</h1>\n<ul>\n");
        if (!urlPath.equals("/")) { sb.append("<li><a href=\"../\">../</a></li>\n"); }
        for (String n : names) {
            sb.append("<li><a href=\"").append(escapeHtml(encodePath(n))).append("\">").append(escapeHtml(n))
                    .append("</a></li>\n");
        }
        return sb.append("</ul>\n</body></html>\n").toString();
    }

    /** Escapes {@code & < > " '} for HTML text and attribute values. */
    public static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Percent-encodes everything but unreserved characters and '/' (UTF-8). */
    static String encodePath(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length + 16);
        for (byte x : b) {
            int c = x & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }
}

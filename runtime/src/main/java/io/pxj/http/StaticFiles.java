package io.pxj.http;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <p>Threading: immutable; one instance serves all connections concurrently. File metadata is read per request
 * (no cache, so edits show immediately).
 */
public final class StaticFiles implements HttpHandler {
    private static final Set<String> DEVICE_NAMES = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3",
            "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
            "lpt8", "lpt9", "conin$", "conout$");
    private static final int MAX_LISTING = 10_000;

    private final Path root;
    private final boolean listDirectories;

    /**
     * @param root            the directory to serve (must exist)
     * @param listDirectories whether a directory without {@code index.html} gets a listing (else 404)
     */
    public StaticFiles(Path root, boolean listDirectories) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("static root not accessible: " + root, e);
        }
        if (!Files.isDirectory(this.root)) throw new IllegalArgumentException("static root is not a directory: " + root);
        this.listDirectories = listDirectories;
    }

    /** Serves {@code root} with directory listings. */
    public StaticFiles(Path root) {
        this(root, true);
    }

    public Path root() {
        return root;
    }

    @Override
    public Object handle(HttpRequest req, HttpResponse res) throws IOException {
        String rel = req.pathWithinRoute();
        if (!safe(rel)) throw new HttpException(404);
        Path p = rel.isEmpty() ? root : root.resolve(rel).normalize();
        Path real;
        BasicFileAttributes attrs;
        try {
            real = p.toRealPath();
            if (!real.startsWith(root)) throw new HttpException(404); // a symbolic link pointing outside
            attrs = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new HttpException(404);
        } catch (IOException | SecurityException e) {
            throw new HttpException(404); // unreadable is indistinguishable from absent, on purpose
        }
        if (attrs.isDirectory()) {
            String path = req.path();
            if (!path.endsWith("/")) {
                String q = req.rawQuery();
                return res.redirect(301, encodePath(path) + "/" + (q == null ? "" : "?" + q));
            }
            Path index = real.resolve("index.html");
            if (Files.isRegularFile(index)) {
                return file(req, res, index, Files.readAttributes(index, BasicFileAttributes.class));
            }
            if (!listDirectories) throw new HttpException(404);
            return res.body(listing(path, real));
        }
        // A file named like a directory ("/a.txt/") does not exist; neither do devices, pipes, sockets.
        if (!attrs.isRegularFile() || rel.endsWith("/")) throw new HttpException(404);
        return file(req, res, real, attrs);
    }

    private static HttpResponse file(HttpRequest req, HttpResponse res, Path file, BasicFileAttributes attrs) {
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(size) + "\"";
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
                if (t.equals("*") || opaque(t).equals(opaque(etag))) return true;
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
        if (ifRange == null) return true;
        String v = ifRange.trim();
        if (v.startsWith("W/")) return false;
        if (v.startsWith("\"")) return v.equals(etag);
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
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) return null;
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) {                       // suffix: the last n bytes
            long n = digits(b);
            if (n < 0) return null;
            if (n == 0 || size == 0) return UNSATISFIABLE;
            return new long[] {Math.max(0, size - n), size - 1};
        }
        long first = digits(a);
        if (first < 0) return null;
        long last;
        if (b.isEmpty()) {
            last = size - 1;
        } else {
            last = digits(b);
            if (last < 0 || last < first) return null;
            last = Math.min(last, size - 1);
        }
        if (first >= size) return UNSATISFIABLE;
        return new long[] {first, last};
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Refuses segments that are special on some file system (see the class comment). */
    static boolean safe(String rel) {
        if (rel.isEmpty()) return true;
        for (String seg : rel.split("/", -1)) {
            if (seg.isEmpty()) continue; // trailing slash
            if (seg.charAt(0) == '.') return false;
            char last = seg.charAt(seg.length() - 1);
            if (last == '.' || last == ' ') return false;
            for (int i = 0; i < seg.length(); i++) {
                char c = seg.charAt(i);
                if (c == ':' || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' || c == '*' || c == '\\'
                        || c < 0x20) {
                    return false;
                }
            }
            int dot = seg.indexOf('.');
            String base = (dot < 0 ? seg : seg.substring(0, dot)).trim().toLowerCase(Locale.ROOT);
            if (DEVICE_NAMES.contains(base)) return false;
        }
        return true;
    }

    private String listing(String urlPath, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !safe(n)) continue;
                if (Files.isDirectory(p)) n += "/";
                names.add(n);
                if (names.size() >= MAX_LISTING) break;
            }
        }
        names.sort(null);
        String title = escapeHtml(urlPath);
        StringBuilder sb = new StringBuilder(256 + names.size() * 64);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ").append(title)
                .append("</title></head>\n<body><h1>Index of ").append(title).append("</h1>\n<ul>\n");
        if (!urlPath.equals("/")) sb.append("<li><a href=\"../\">../</a></li>\n");
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

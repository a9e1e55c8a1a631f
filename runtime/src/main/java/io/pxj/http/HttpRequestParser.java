package io.pxj.http;

import java.nio.ByteBuffer;

/**
 * Parses request heads in place: it works on absolute indexes of a {@link ByteBuffer} (never moving its
 * position) and records only offsets into the {@link HttpRequest}. Pure: no I/O, no runtime dependency.
 *
 * <p>Two steps. {@link #findHeadEnd} scans for the blank line that ends the head; it is resumable (it keeps its
 * scan state, so a head that trickles in byte by byte costs linear time, not quadratic), validates the line
 * structure (CRLF only: a bare CR or LF is refused) and enforces the request-line and header-section size
 * limits before the head is complete. {@link #parseHead} then parses a complete head once.
 *
 * <p>Results are ints: an index (>= 0), {@link #NEED_MORE}, or a negated HTTP status ({@code -400}, ...).
 *
 * <p>Threading: one instance per connection, confined to its callbacks.
 */
final class HttpRequestParser {
    static final int NEED_MORE = -1;

    /** RFC 9110 tchar, as a lookup table. */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) { TCHAR[c] = true; }
        for (int c = 'a'; c <= 'z'; c++) { TCHAR[c] = true; }
        for (int c = 'A'; c <= 'Z'; c++) { TCHAR[c] = true; }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) { TCHAR[c] = true; }
    }

    private final HttpLimits limits;

    // Scan state of the head being looked for; offsets are absolute in the buffer being scanned.
    private int scanStart;      // where the scan began: leading empty lines are counted from here
    private int requestStart;   // first byte of the request line (after leading empty lines)
    private int scanPos;        // next byte to examine
    private int lineStart;      // first byte of the current line
    private int requestLineEnd; // index after the request line's LF, or -1 while in the request line
    private boolean scanning;

    HttpRequestParser(HttpLimits limits) {
        this.limits = limits;
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** Forgets the scan state: the next {@link #findHeadEnd} starts a new head. */
    void reset() {
        scanning = false;
    }

    /** Start of the request whose head is being scanned (after skipped empty lines). */
    int requestStart() {
        return requestStart;
    }

    /** Shifts the scan state after the caller moved the partial head by {@code delta} bytes. */
    void rebase(int delta) {
        scanStart += delta;
        requestStart += delta;
        scanPos += delta;
        lineStart += delta;
        if (requestLineEnd >= 0) { requestLineEnd += delta; }
    }

    /**
     * Looks for the end of the head that starts at {@code start} (or resumes the previous scan, which must
     * have been on the same bytes, possibly rebased).
     *
     * @return the index after the head's final CRLF, {@link #NEED_MORE}, or a negated status (400, 414, 431)
     */
    int findHeadEnd(ByteBuffer b, int start, int limit) {
        if (!scanning) {
            scanning = true;
            scanStart = requestStart = lineStart = scanPos = start;
            requestLineEnd = -1;
        }
        int maxLine = limits.maxRequestLineBytes();
        int maxHeaders = limits.maxHeaderBytes();
        byte prev = scanPos > lineStart ? b.get(scanPos - 1) : 0;
        for (int i = scanPos; i < limit; i++) {
            byte c = b.get(i);
            if (c == '\n') {
                if (prev != '\r' || i == lineStart) { return -400; } // bare LF
                int lineLen = i - 1 - lineStart;
                if (requestLineEnd < 0) {
                    if (lineLen == 0) {
                        // RFC 9112 2.2: ignore empty lines before a request line (keep-alive clients send them),
                        // but at most 8 bytes of them: an endless CRLF prefix is not a request in progress.
                        if (i + 1 - scanStart > 8) { return -400; }
                        requestStart = i + 1;
                    } else {
                        if (lineLen > maxLine) { return -414; }
                        requestLineEnd = i + 1;
                    }
                } else if (lineLen == 0) {
                    scanning = false;
                    return i + 1;
                }
                lineStart = i + 1;
            } else {
                if (prev == '\r') { return -400; } // CR not followed by LF
                if (requestLineEnd < 0) {
                    if (i - requestStart >= maxLine + 1) { return -414; } // +1: the line's own CR
                } else if (i + 1 - requestLineEnd > maxHeaders) {
                    return -431;
                }
            }
            prev = c;
        }
        scanPos = limit;
        return NEED_MORE;
    }

    /**
     * Parses the complete head {@code b[start, end)} (as delimited by {@link #findHeadEnd}) into {@code req}.
     *
     * @return 0, or a negated status: 400 (malformed, smuggling patterns), 431, 413, 501, 505
     */
    int parseHead(ByteBuffer b, int start, int end, HttpRequest req) {
        req.src = b;
        // ---- request line: method SP request-target SP HTTP-version CRLF ----
        int i = start;
        while (b.get(i) == '\r') { i += 2; } // leading empty lines (validated by findHeadEnd)
        int ms = i;
        while (isTchar(b.get(i))) { i++; }
        if (i == ms || b.get(i) != ' ') { return -400; }
        req.methodStart = ms;
        req.methodEnd = i;
        i++;
        int ts = i;
        int query = -1;
        for (byte c; (c = b.get(i)) != ' '; i++) {
            if (c <= 0x20 || c >= 0x7F || c == '#') { return -400; } // controls, SP/CR, non-ASCII, fragments
            if (c == '?' && query < 0) { query = i + 1; }
        }
        int te = i;
        if (te == ts) { return -400; }
        i++;
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, then CR
        if (i + 9 > end || b.get(i) != 'H' || b.get(i + 1) != 'T' || b.get(i + 2) != 'T' || b.get(i + 3) != 'P'
                || b.get(i + 4) != '/' || !digit(b.get(i + 5)) || b.get(i + 6) != '.' || !digit(b.get(i + 7))
                || b.get(i + 8) != '\r') {
            return -400;
        }
        int major = b.get(i + 5) - '0';
        if (major != 1) { return -505; }
        req.versionMinor = b.get(i + 7) - '0';
        i += 10; // past CRLF

        HttpMethod method = HttpMethod.match(b, ms, req.methodEnd);
        req.targetStart = ts;
        req.targetEnd = te;
        req.queryStart = query;

        // ---- header fields ----
        int maxCount = limits.maxHeaderCount();
        boolean sawCl = false, sawTe = false, sawHost = false, close = false, keepAlive = false;
        long contentLength = -1;
        int teStatus = 0;
        while (true) {
            byte c = b.get(i);
            if (c == '\r') { break; } // the blank line
            if (c == ' ' || c == '\t') { return -400; } // obs-fold: refused (RFC 9112 5.2)
            int ns = i;
            while (isTchar(b.get(i))) { i++; }
            if (i == ns || b.get(i) != ':') { return -400; } // empty name, or whitespace/garbage before ':'
            int ne = i++;
            while (b.get(i) == ' ' || b.get(i) == '\t') { i++; }
            int vs = i;
            int ve = i;
            for (byte v; (v = b.get(i)) != '\r'; i++) {
                if (ChunkedDecoder.isCtl(v)) { return -400; } // NUL, other controls, DEL, bare LF
                if (v != ' ' && v != '\t') { ve = i + 1; }
            }
            i += 2; // CRLF (validated by findHeadEnd)
            if (req.headerCount == maxCount) { return -431; }
            req.addHeader(ns, ne, vs, ve);
            int nlen = ne - ns;
            if (nlen == 14 && HttpRequest.equalsIgnoreCase(b, ns, "content-length")) {
                if (sawCl) { return -400; } // duplicates, even equal ones: different parsers pick different ones
                sawCl = true;
                contentLength = parseLength(b, vs, ve);
                if (contentLength == -400) { return -400; }
            } else if (nlen == 17 && HttpRequest.equalsIgnoreCase(b, ns, "transfer-encoding")) {
                if (sawTe) { return -400; }
                sawTe = true;
                if (!(ve - vs == 7 && HttpRequest.equalsIgnoreCase(b, vs, "chunked"))) { teStatus = 501; }
            } else if (nlen == 10 && HttpRequest.equalsIgnoreCase(b, ns, "connection")) {
                int tokens = connectionTokens(b, vs, ve);
                close |= (tokens & 1) != 0;
                keepAlive |= (tokens & 2) != 0;
            } else if (nlen == 4 && HttpRequest.equalsIgnoreCase(b, ns, "host")) {
                if (sawHost) { return -400; }
                sawHost = true;
            } else if (nlen == 6 && HttpRequest.equalsIgnoreCase(b, ns, "expect")) {
                req.expectContinue = ve - vs == 12 && HttpRequest.equalsIgnoreCase(b, vs, "100-continue");
            }
        }
        // ---- framing rules (RFC 9112 6.1-6.3) ----
        if (sawTe && sawCl) { return -400; }                       // the classic smuggling pair
        if (sawTe && req.versionMinor == 0) { return -400; }       // 1.0 has no chunked: faulty framing
        if (req.versionMinor >= 1 && !sawHost) { return -400; }    // RFC 9112 3.2
        if (teStatus != 0) { return -teStatus; }                   // a coding we do not implement
        if (contentLength > limits.maxBodyBytes()) { return -413; }
        if (method == null) { return -501; }
        req.method = method;
        req.chunked = sawTe;
        req.contentLength = sawTe ? -1 : contentLength;
        req.keepAlive = !close && (req.versionMinor >= 1 || keepAlive);
        return normalizeTarget(b, req);
    }

    private static int normalizeTarget(ByteBuffer b, HttpRequest req) {
        int ps = req.targetStart;
        int pe = req.queryStart >= 0 ? req.queryStart - 1 : req.targetEnd;
        if (b.get(ps) != '/') {
            // absolute-form (RFC 9112 3.2.2): servers must accept it; the authority is ignored (Host rules).
            int skip = schemeLength(b, ps, pe);
            if (skip < 0) { return -400; } // asterisk-form and authority-form are not served
            ps += skip;
            while (ps < pe && b.get(ps) != '/') { ps++; }
            if (ps == pe) {
                req.path[0] = '/';
                req.pathLength = 1;
                return 0;
            }
        }
        int need = pe - ps + 1;
        if (req.path.length < need) { req.path = new byte[Math.max(need, req.path.length * 2)]; }
        int n = PathNormalizer.normalize(b, ps, pe, req.path);
        if (n < 0) { return -400; }
        req.pathLength = n;
        return 0;
    }

    /** Length of "http://" or "https://" at {@code i} (case-insensitive), or -1. */
    private static int schemeLength(ByteBuffer b, int i, int end) {
        if (end - i > 7 && HttpRequest.equalsIgnoreCase(b, i, "http://")) { return 7; }
        if (end - i > 8 && HttpRequest.equalsIgnoreCase(b, i, "https://")) { return 8; }
        return -1;
    }

    /** 1*DIGIT without sign or list syntax; -400 when malformed; at most 18 digits (no overflow). */
    private static long parseLength(ByteBuffer b, int vs, int ve) {
        if (ve == vs || ve - vs > 18) { return -400; }
        long v = 0;
        for (int i = vs; i < ve; i++) {
            byte c = b.get(i);
            if (!digit(c)) { return -400; }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Bit 1: a "close" token, bit 2: a "keep-alive" token, in a comma-separated Connection value. */
    private static int connectionTokens(ByteBuffer b, int vs, int ve) {
        int result = 0;
        int i = vs;
        while (i < ve) {
            while (i < ve && (b.get(i) == ' ' || b.get(i) == '\t' || b.get(i) == ',')) { i++; }
            int s = i;
            while (i < ve && b.get(i) != ',' && b.get(i) != ' ' && b.get(i) != '\t') { i++; }
            int n = i - s;
            if (n == 5 && HttpRequest.equalsIgnoreCase(b, s, "close")) { result |= 1; }
            else if (n == 10 && HttpRequest.equalsIgnoreCase(b, s, "keep-alive")) { result |= 2; }
        }
        return result;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }
}

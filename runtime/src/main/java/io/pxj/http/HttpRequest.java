package io.pxj.http;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Transport;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parsed HTTP request as a handler sees it. Parsing keeps only offsets into the bytes it was parsed from (the
 * connection's receive buffer, or a per-connection scratch array when a request straddled reads); Strings are
 * made only when an accessor asks for one.
 *
 * <h2>Lifetime and threading</h2>
 * One instance per connection, reused for every request on it. It is valid only during the
 * {@link HttpHandler#handle} (or {@link RequestListener}) call it is passed to: its views point into buffers
 * that the next read overwrites, and the ByteBuffer views may point into the connection's arena. Do not keep
 * it or any {@link ByteBuffer} it returns; copy what must live longer (the String accessors return copies).
 * It is confined to the thread running the callback.
 */
public final class HttpRequest {
    // --- set by HttpRequestParser; offsets index into src ---
    ByteBuffer src;
    HttpMethod method;
    int methodStart, methodEnd;
    int targetStart, targetEnd;
    /** Index of the first query byte (after '?'), or -1. */
    int queryStart = -1;
    int versionMinor;
    int headerCount;
    // Sized for a typical client (grown by doubling, once per connection): every connection keeps them while idle.
    int[] nameStart = new int[8], nameEnd = new int[8], valueStart = new int[8], valueEnd = new int[8];
    long contentLength = -1;
    boolean chunked;
    boolean keepAlive;
    boolean expectContinue;

    /** The decoded, normalised path. */
    byte[] path = new byte[64];
    int pathLength;
    /** Length of the route's prefix (for {@link #pathWithinRoute()}); 0 for exact routes. */
    int routePrefixLength;

    // --- body: either a range of bodySrc, or empty ---
    ByteBuffer bodySrc;
    int bodyStart, bodyLength;

    Transport transport;
    ParallelContext context;

    // --- lazily materialised ---
    private String pathString;
    private String targetString;

    void reset() {
        src = null;
        method = null;
        queryStart = -1;
        headerCount = 0;
        contentLength = -1;
        chunked = false;
        keepAlive = false;
        expectContinue = false;
        pathLength = 0;
        routePrefixLength = 0;
        bodySrc = null;
        bodyStart = 0;
        bodyLength = 0;
        pathString = null;
        targetString = null;
    }

    /** Moves every offset by {@code delta} and makes {@code newSrc} the source (the head was copied there). */
    void rebase(ByteBuffer newSrc, int delta) {
        src = newSrc;
        methodStart += delta;
        methodEnd += delta;
        targetStart += delta;
        targetEnd += delta;
        if (queryStart >= 0) { queryStart += delta; }
        for (int i = 0; i < headerCount; i++) {
            nameStart[i] += delta;
            nameEnd[i] += delta;
            valueStart[i] += delta;
            valueEnd[i] += delta;
        }
    }

    void addHeader(int ns, int ne, int vs, int ve) {
        if (headerCount == nameStart.length) {
            int n = headerCount * 2;
            nameStart = Arrays.copyOf(nameStart, n);
            nameEnd = Arrays.copyOf(nameEnd, n);
            valueStart = Arrays.copyOf(valueStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
        }
        nameStart[headerCount] = ns;
        nameEnd[headerCount] = ne;
        valueStart[headerCount] = vs;
        valueEnd[headerCount] = ve;
        headerCount++;
    }

    /** The request method. */
    public HttpMethod method() {
        return method;
    }

    /** True for HTTP/1.1 (and later 1.x minors), false for HTTP/1.0. */
    public boolean isHttp11() {
        return versionMinor >= 1;
    }

    /** "HTTP/1.1" or "HTTP/1.0". */
    public String version() {
        return versionMinor >= 1 ? "HTTP/1.1" : "HTTP/1.0";
    }

    /** Whether the connection stays open after this request's response (HTTP/1.1 default, 1.0 opt-in). */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * The percent-decoded, normalised path (dot segments resolved, duplicate slashes collapsed), e.g.
     * {@code /a/b c}. Always starts with {@code /}.
     */
    public String path() {
        if (pathString == null) { pathString = new String(path, 0, pathLength, StandardCharsets.UTF_8); }
        return pathString;
    }

    /**
     * For a prefix route: the decoded path after the route's prefix, without a leading slash ({@code ""} when
     * the path equals the prefix). For an exact route: the whole path.
     */
    public String pathWithinRoute() {
        int from = routePrefixLength;
        while (from < pathLength && path[from] == '/') { from++; }
        if (routePrefixLength == 0) { return path(); }
        return new String(path, from, pathLength - from, StandardCharsets.UTF_8);
    }

    /** The request target exactly as received (path and query, still percent-encoded). */
    public String rawTarget() {
        if (targetString == null) { targetString = ascii(targetStart, targetEnd); }
        return targetString;
    }

    /** The raw (still encoded) query string without {@code ?}, or null when there is none. */
    public String rawQuery() {
        return queryStart < 0 ? null : ascii(queryStart, targetEnd);
    }

    /**
     * The first query parameter named {@code name}, form-decoded ({@code +} is a space), or null. A parameter
     * without {@code =} has the value "". Malformed escapes yield null rather than an exception.
     */
    public String queryParameter(String name) {
        if (queryStart < 0) { return null; }
        String q = rawQuery();
        int i = 0;
        while (i <= q.length()) {
            int amp = q.indexOf('&', i);
            if (amp < 0) { amp = q.length(); }
            int eq = q.indexOf('=', i);
            int keyEnd = eq >= 0 && eq < amp ? eq : amp;
            try {
                if (URLDecoder.decode(q.substring(i, keyEnd), StandardCharsets.UTF_8).equals(name)) {
                    return keyEnd == amp ? "" : URLDecoder.decode(q.substring(keyEnd + 1, amp), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException malformed) {
                return null;
            }
            i = amp + 1;
        }
        return null;
    }

    /** Number of header fields (trailers of chunked bodies are not included). */
    public int headerCount() {
        return headerCount;
    }

    /** Name of header field {@code i} as received. */
    public String headerName(int i) {
        checkIndex(i);
        return latin1(nameStart[i], nameEnd[i]);
    }

    /** Value of header field {@code i}, without surrounding whitespace (ISO-8859-1 decoded). */
    public String headerValue(int i) {
        checkIndex(i);
        return latin1(valueStart[i], valueEnd[i]);
    }

    /** The value of the first header field named {@code name} (case-insensitive), or null. */
    public String header(String name) {
        int i = indexOf(name);
        return i < 0 ? null : latin1(valueStart[i], valueEnd[i]);
    }

    /** True if a header field named {@code name} (case-insensitive) is present. */
    public boolean hasHeader(String name) {
        return indexOf(name) >= 0;
    }

    int indexOf(CharSequence name) {
        int n = name.length();
        for (int i = 0; i < headerCount; i++) {
            if (nameEnd[i] - nameStart[i] != n) { continue; }
            if (equalsIgnoreCase(src, nameStart[i], name)) { return i; }
        }
        return -1;
    }

    /** Compares a header value without materialising it. */
    boolean headerValueEqualsIgnoreCase(int i, CharSequence expected) {
        return valueEnd[i] - valueStart[i] == expected.length() && equalsIgnoreCase(src, valueStart[i], expected);
    }

    /** Content-Length as sent, or -1 (absent, or a chunked body). */
    public long contentLength() {
        return contentLength;
    }

    /** True when the body was sent with the chunked transfer coding. */
    public boolean isChunked() {
        return chunked;
    }

    /** Body length in bytes (after de-chunking). */
    public int bodyLength() {
        return bodyLength;
    }

    /** A read-only view of the body (empty when there is none); valid only during the handler call. */
    public ByteBuffer body() {
        if (bodySrc == null) { return ByteBuffer.allocate(0).asReadOnlyBuffer(); }
        return bodySrc.slice(bodyStart, bodyLength).asReadOnlyBuffer();
    }

    /** A copy of the body: safe to keep. */
    public byte[] bodyBytes() {
        byte[] b = new byte[bodyLength];
        if (bodyLength > 0) { bodySrc.get(bodyStart, b, 0, bodyLength); }
        return b;
    }

    /** The body decoded with {@code charset}: safe to keep. */
    public String bodyString(Charset charset) {
        return new String(bodyBytes(), charset);
    }

    /** The peer's address, or null when unknown. */
    public InetSocketAddress remoteAddress() {
        return transport == null ? null : transport.remoteAddress();
    }

    /**
     * The parallel context the handler runs in: {@link ParallelContext#published} for state the main thread
     * shared, {@link ParallelContext#allocate} for arena memory (which, like everything here, must not outlive
     * the call), {@link ParallelContext#callFromMainThread}.
     */
    public ParallelContext context() {
        return context;
    }

    /** The connection this request arrived on (for its id and counters; sending is the server's job). */
    public Transport transport() {
        return transport;
    }

    @Override
    public String toString() {
        return method == null ? "HttpRequest[unparsed]" : method + " " + rawTarget() + " " + version();
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= headerCount) { throw new IndexOutOfBoundsException("header " + i + " of " + headerCount); }
    }

    private String ascii(int from, int to) {
        return latin1(from, to);
    }

    private String latin1(int from, int to) {
        byte[] b = new byte[to - from];
        src.get(from, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static boolean equalsIgnoreCase(ByteBuffer src, int at, CharSequence s) {
        for (int k = 0, n = s.length(); k < n; k++) {
            int a = src.get(at + k);
            int c = s.charAt(k);
            if (a == c) { continue; }
            if (a >= 'A' && a <= 'Z') { a += 32; }
            if (c >= 'A' && c <= 'Z') { c += 32; }
            if (a != c) { return false; }
        }
        return true;
    }
}

package io.pxj.http;

import io.pxj.runtime.ArenaBuffer;

import java.nio.ByteBuffer;

/**
 * The request parser and response encoder as the server runs them, for benchmarks in other modules (the JMH
 * benchmarks in threadpool-demo/bench): those classes stay package-private, and this is the one public door to
 * them, so no other module has to put classes into this package. The server itself does not use it.
 *
 * <p>Threading: not thread-safe; one instance per benchmark thread.
 */
public final class HttpBenchAccess {
    private final HttpRequestParser parser = new HttpRequestParser(HttpLimits.DEFAULT);
    private final HttpRequest request = new HttpRequest();
    private final HttpDate date = new HttpDate();

    /**
     * Finds and parses the request head starting at {@code start}; returns the index after it (the next
     * pipelined request), or a negative status / NEED_MORE.
     */
    public int parse(ByteBuffer b, int start, int limit) {
        parser.reset();
        int end = parser.findHeadEnd(b, start, limit);
        if (end < 0) {
            return end;
        }
        request.reset();
        int r = parser.parseHead(b, parser.requestStart(), end, request);
        return r < 0 ? r : end;
    }

    /** The last parsed request (its path is decoded lazily, as a handler would see it). */
    public HttpRequest request() {
        return request;
    }

    /** TechEmpower's plaintext response as the server encodes it: pre-encoded bytes plus today's Date. */
    public void encodePlaintext(ArenaBuffer out) {
        TechEmpower.PLAINTEXT.writeTo(out, date.bytes(), ResponseEncoder.CONN_DEFAULT, false);
    }

    /** A generic response head (status line, Server, Date, Content-Type, Content-Length). */
    public void encodeHead(ArenaBuffer out, String contentType, long contentLength) {
        ResponseEncoder.writeHead(out, 200, date.bytes(), contentType, contentLength, null,
                ResponseEncoder.CONN_DEFAULT);
    }

    /** Bytes {@link #encodeHead} may write at most. */
    public static int headLength(String contentType) {
        return ResponseEncoder.headLength(200, contentType, null);
    }

    /** Bytes {@link #encodePlaintext} writes. */
    public static int plaintextLength() {
        return TechEmpower.PLAINTEXT.encodedLength();
    }
}

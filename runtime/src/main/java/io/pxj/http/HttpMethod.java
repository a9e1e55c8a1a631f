package io.pxj.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The request methods the server understands. A syntactically valid method token that is not one of these is
 * answered with {@code 501 Not Implemented}; a known method that a route does not accept gets {@code 405} with
 * an {@code Allow} header. TRACE and CONNECT are deliberately not supported (501).
 */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH;

    private static final HttpMethod[] VALUES = values();

    final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

    /** Matches the method token in {@code src[start, end)} without allocating; null when unknown. */
    static HttpMethod match(ByteBuffer src, int start, int end) {
        int len = end - start;
        // The length test rejects most candidates with one comparison; seven entries need no hash table.
        for (HttpMethod m : VALUES) {
            byte[] b = m.bytes;
            if (b.length != len) { continue; }
            int i = 0;
            while (i < len && src.get(start + i) == b[i]) { i++; }
            if (i == len) { return m; }
        }
        return null;
    }
}

package io.pxj.http;

import io.pxj.runtime.ArenaBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An immutable response encoded once, when it is made: status line, headers and body are pre-encoded, and
 * only the cached {@code Date} and, when needed, a {@code Connection} header are spliced in per request. Sending
 * one copies it into the connection's arena chunk and allocates nothing on the heap, which is what the
 * TechEmpower plaintext endpoint needs. Safe to share between threads and connections.
 */
public final class FixedResponse {
    private final int status;
    private final byte[] beforeDate;
    private final byte[] afterDate;
    private final byte[] body;

    private FixedResponse(int status, String contentType, byte[] body) {
        HttpStatus.check(status);
        this.status = status;
        this.body = body.clone();
        byte[] line = HttpStatus.statusLine(status);
        this.beforeDate = concat(line, ResponseEncoder.SERVER_AND_DATE);
        StringBuilder sb = new StringBuilder("\r\n");
        if (contentType != null) {
            ResponseEncoder.checkHeaderValue(contentType);
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (!HttpStatus.bodyless(status)) { sb.append("Content-Length: ").append(body.length).append("\r\n"); }
        this.afterDate = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A response with {@code status}, {@code contentType} (null for none) and {@code body}. */
    public static FixedResponse of(int status, String contentType, byte[] body) {
        return new FixedResponse(status, contentType, Objects.requireNonNull(body, "body"));
    }

    /** 200 {@code text/plain; charset=utf-8}. */
    public static FixedResponse text(String body) {
        return of(200, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public int status() {
        return status;
    }

    /** Body length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** Bytes this response occupies on the wire at most. */
    int encodedLength() {
        return beforeDate.length + HttpDate.LENGTH + afterDate.length + ResponseEncoder.MAX_CONNECTION_HEADER + 2
                + body.length;
    }

    void writeTo(ArenaBuffer out, byte[] date, int connection, boolean head) {
        out.put(beforeDate).put(date).put(afterDate);
        ResponseEncoder.connectionHeader(out, connection);
        out.put(ResponseEncoder.CRLF);
        if (!head && !HttpStatus.bodyless(status)) { out.put(body); }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}

package io.pxj.http;

import io.pxj.runtime.ArenaBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes response heads straight into an arena buffer: pre-encoded status lines and header names, the cached
 * Date, decimal lengths without formatting, so a head costs no heap allocation.
 *
 * <p>Pure and stateless; thread-safe.
 */
final class ResponseEncoder {
    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] SERVER_AND_DATE = ascii("Server: pxj\r\nDate: ");
    static final byte[] CONTENT_TYPE = ascii("\r\nContent-Type: ");
    static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    static final int MAX_CONNECTION_HEADER = CONNECTION_KEEP_ALIVE.length;

    /** Connection header modes: none (HTTP/1.1 keep-alive), close, keep-alive (HTTP/1.0 opt-in). */
    static final int CONN_DEFAULT = 0, CONN_CLOSE = 1, CONN_KEEP_ALIVE = 2;

    private ResponseEncoder() {}

    /** Upper bound of the bytes {@link #writeHead} writes. */
    static int headLength(int status, String contentType, List<String> extra) {
        int n = HttpStatus.statusLine(status).length + SERVER_AND_DATE.length + HttpDate.LENGTH + 2
                + CONTENT_TYPE.length + CONTENT_LENGTH.length + 20 + 2 + MAX_CONNECTION_HEADER + 2;
        if (contentType != null) { n += contentType.length(); }
        if (extra != null) {
            for (int i = 0; i < extra.size(); i++) { n += extra.get(i).length() + 2; }
        }
        return n;
    }

    /**
     * Writes a head. {@code contentLength} < 0 omits Content-Length (bodyless statuses); {@code extra} holds
     * name/value pairs (may be null).
     */
    static void writeHead(ArenaBuffer out, int status, byte[] date, String contentType, long contentLength,
                          List<String> extra, int connection) {
        out.put(HttpStatus.statusLine(status)).put(SERVER_AND_DATE).put(date);
        if (contentType != null) {
            out.put(CONTENT_TYPE).putAscii(contentType);
        }
        out.put(CRLF);
        if (contentLength >= 0) { out.put(CONTENT_LENGTH).putDecimal(contentLength).put(CRLF); }
        if (extra != null) {
            for (int i = 0, n = extra.size(); i < n; i += 2) {
                out.putAscii(extra.get(i)).put((byte) ':').put((byte) ' ').putAscii(extra.get(i + 1)).put(CRLF);
            }
        }
        connectionHeader(out, connection);
        out.put(CRLF);
    }

    static void connectionHeader(ArenaBuffer out, int connection) {
        if (connection == CONN_CLOSE) { out.put(CONNECTION_CLOSE); }
        else if (connection == CONN_KEEP_ALIVE) { out.put(CONNECTION_KEEP_ALIVE); }
    }

    static void checkHeaderName(String name) {
        if (name.isEmpty()) { throw new IllegalArgumentException("empty header name"); }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xFF || !HttpRequestParser.isTchar((byte) c)) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
        }
    }

    /** Refuses CR, LF, NUL and other controls (response splitting) and non-Latin-1 characters. */
    static void checkHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("invalid character in header value at " + i);
            }
        }
    }

    static boolean isManaged(String name) {
        return name.equalsIgnoreCase("date") || name.equalsIgnoreCase("server")
                || name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("connection")
                || name.equalsIgnoreCase("transfer-encoding");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

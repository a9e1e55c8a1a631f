package io.pxj.demo.load;

import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * A minimal incremental HTTP/1.1 response reader for the load generator: it finds response boundaries (status
 * line, headers, a Content-Length or chunked body, or no body for 1xx/204/304) in a byte stream that arrives in
 * arbitrary pieces, possibly several pipelined responses per piece, and reports each response's status. Bodies
 * are skipped, not stored. A response without a length is read until the connection closes ({@link #endOfInput}).
 *
 * <p>Pure and allocation-light (one reusable line buffer); not thread-safe: one per connection.
 */
public final class HttpResponseCounter {
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADERS = 200;

    private enum State { STATUS_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS,
            BODY_UNTIL_CLOSE }

    private final IntConsumer onResponse;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private State state = State.STATUS_LINE;
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean closeAfter;
    private boolean lastResponseClose;
    private int headerCount;
    private long remaining;
    private long responses;

    /** @param onResponse called with the status code of each complete response */
    public HttpResponseCounter(IntConsumer onResponse) {
        this.onResponse = onResponse;
    }

    /** Malformed input: the connection cannot be read further. */
    public static final class HttpParseException extends Exception {
        private static final long serialVersionUID = 1L;

        HttpParseException(String message) {
            super(message);
        }
    }

    /** Complete responses so far. */
    public long responses() {
        return responses;
    }

    /** True if the last complete response said {@code Connection: close} (or was HTTP/1.0 without keep-alive). */
    public boolean closeRequested() {
        return lastResponseClose;
    }

    /** True when no response is partially read. */
    public boolean idle() {
        return state == State.STATUS_LINE && lineLength == 0;
    }

    /**
     * Consumes all of {@code data}'s remaining bytes.
     *
     * @return the number of responses completed by these bytes
     */
    public int feed(ByteBuffer data) throws HttpParseException {
        int completed = 0;
        while (data.hasRemaining()) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, data.remaining());
                    data.position(data.position() + n);
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.BODY) { completed += complete(); }
                        else { state = State.CHUNK_DATA_END; }
                    }
                }
                case BODY_UNTIL_CLOSE -> data.position(data.limit());
                default -> {
                    if (readLine(data)) { completed += onLine(); }
                }
            }
        }
        return completed;
    }

    /** Feeds a byte array (tests). */
    public int feed(byte[] data) throws HttpParseException {
        return feed(ByteBuffer.wrap(data));
    }

    /**
     * The connection closed. Completes a response that is delimited by the close.
     *
     * @return 1 if that completed a response, else 0
     * @throws HttpParseException if a response was cut short
     */
    public int endOfInput() throws HttpParseException {
        if (state == State.BODY_UNTIL_CLOSE) { return complete(); }
        if (!idle()) { throw new HttpParseException("connection closed in the middle of a response (" + state + ")"); }
        return 0;
    }

    /** Accumulates one line (without CRLF); true when complete. */
    private boolean readLine(ByteBuffer data) throws HttpParseException {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') { lineLength--; }
                return true;
            }
            if (lineLength == MAX_LINE) {
                throw new HttpParseException("line longer than " + MAX_LINE + " bytes in " + state);
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private int onLine() throws HttpParseException {
        int len = lineLength;
        lineLength = 0;
        switch (state) {
            case STATUS_LINE -> {
                if (len == 0 && responses > 0) { return 0; } // tolerate a stray CRLF between responses
                statusLine(len);
            }
            case HEADERS -> {
                if (len == 0) { return endOfHeaders(); }
                if (++headerCount > MAX_HEADERS) {
                    throw new HttpParseException("more than " + MAX_HEADERS + " headers");
                }
                header(len);
            }
            case CHUNK_SIZE -> {
                long size = 0;
                int i = 0;
                for (; i < len; i++) {
                    int d = Character.digit(line[i], 16);
                    if (d < 0) { break; }
                    if (size > (Long.MAX_VALUE >> 4)) { throw new HttpParseException("chunk size overflow"); }
                    size = size * 16 + d;
                }
                if (i == 0 || (i < len && line[i] != ';' && line[i] != ' ' && line[i] != '\t')) {
                    throw new HttpParseException("bad chunk size line: '" + ascii(0, len) + "'");
                }
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_DATA_END -> {
                if (len != 0) { throw new HttpParseException("missing CRLF after chunk data"); }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (len == 0) { return complete(); }
            }
            default -> throw new IllegalStateException(state.toString());
        }
        return 0;
    }

    private void statusLine(int len) throws HttpParseException {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (len < 12 || !startsWith("HTTP/1.") || line[8] != ' ') {
            throw new HttpParseException("bad status line: '" + ascii(0, Math.min(len, 80)) + "'");
        }
        int s = 0;
        for (int i = 9; i < 12; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                throw new HttpParseException("bad status code: '" + ascii(0, Math.min(len, 80)) + "'");
            }
            s = s * 10 + d;
        }
        if (len > 12 && line[12] != ' ') {
            throw new HttpParseException("bad status line: '" + ascii(0, Math.min(len, 80)) + "'");
        }
        status = s;
        contentLength = -1;
        chunked = false;
        closeAfter = line[7] == '0'; // HTTP/1.0 closes unless keep-alive is announced
        headerCount = 0;
        state = State.HEADERS;
    }

    private void header(int len) throws HttpParseException {
        int colon = -1;
        for (int i = 0; i < len; i++) { if (line[i] == ':') { colon = i; break; } }
        if (colon <= 0) { throw new HttpParseException("bad header line: '" + ascii(0, Math.min(len, 80)) + "'"); }
        String value = ascii(colon + 1, len).trim();
        if (nameIs(colon, "content-length")) {
            try {
                long v = Long.parseLong(value);
                if (v < 0) { throw new NumberFormatException(); }
                if (contentLength >= 0 && contentLength != v) {
                    throw new HttpParseException("conflicting Content-Length");
                }
                contentLength = v;
            } catch (NumberFormatException e) {
                throw new HttpParseException("bad Content-Length: '" + value + "'");
            }
        } else if (nameIs(colon, "transfer-encoding")) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            chunked = v.equals("chunked") || v.endsWith(",chunked") || v.endsWith(" chunked");
        } else if (nameIs(colon, "connection")) {
            String v = value.toLowerCase(java.util.Locale.ROOT);
            if (v.contains("close")) { closeAfter = true; }
            else if (v.contains("keep-alive")) { closeAfter = false; }
        }
    }

    private int endOfHeaders() {
        if (status / 100 == 1 || status == 204 || status == 304) {
            if (status / 100 == 1) { // interim response: the real one follows
                state = State.STATUS_LINE;
                return 0;
            }
            return complete();
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength == 0) { return complete(); }
            remaining = contentLength;
            state = State.BODY;
        } else {
            state = State.BODY_UNTIL_CLOSE;
        }
        return 0;
    }

    private int complete() {
        responses++;
        lastResponseClose = closeAfter || state == State.BODY_UNTIL_CLOSE;
        state = State.STATUS_LINE;
        onResponse.accept(status);
        return 1;
    }

    private boolean startsWith(String s) {
        for (int i = 0; i < s.length(); i++) { if (line[i] != s.charAt(i)) { return false; } }
        return true;
    }

    private boolean nameIs(int len, String lowerName) {
        if (len != lowerName.length()) { return false; }
        for (int i = 0; i < len; i++) {
            int c = line[i];
            if (c >= 'A' && c <= 'Z') { c += 32; }
            if (c != lowerName.charAt(i)) { return false; }
        }
        return true;
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}

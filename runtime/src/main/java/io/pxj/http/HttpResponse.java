package io.pxj.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Objects;

/**
 * The response a handler may fill in instead of (or as well as) returning a value; see {@link HttpHandler}.
 * {@code Server}, {@code Date}, {@code Content-Length} and {@code Connection} are managed by the server.
 *
 * <p>Lifetime and threading: one instance per connection, reset before every request; valid only during the
 * handler call and confined to its thread. Header names and values are checked for CR, LF and NUL so a handler
 * echoing user input cannot split the response.
 */
public final class HttpResponse {
    static final int NONE = 0, BYTES = 1, BUFFER = 2, JSON = 3, FILE = 4;

    int status;
    String contentType;
    final ArrayList<String> headers = new ArrayList<>(8); // name, value, name, value...
    int bodyKind;
    byte[] bytes;
    ByteBuffer buffer;
    Object json;
    Path file;
    long fileOffset, fileLength;
    boolean touched;

    HttpResponse() {}

    void reset() {
        status = 0;
        contentType = null;
        if (!headers.isEmpty()) { headers.clear(); }
        bodyKind = NONE;
        bytes = null;
        buffer = null;
        json = null;
        file = null;
        touched = false;
    }

    /** Sets the status (default 200). */
    public HttpResponse status(int status) {
        HttpStatus.check(status);
        this.status = status;
        touched = true;
        return this;
    }

    /** The status set so far (200 when unset). */
    public int status() {
        return status == 0 ? 200 : status;
    }

    /**
     * Adds a header field; managed fields (Date, Server, Content-Length, Connection, Transfer-Encoding) are refused.
     */
    public HttpResponse header(String name, String value) {
        ResponseEncoder.checkHeaderName(name);
        ResponseEncoder.checkHeaderValue(value);
        if (ResponseEncoder.isManaged(name)) {
            throw new IllegalArgumentException("header is managed by the server: " + name);
        }
        if (name.equalsIgnoreCase("content-type")) { return contentType(value); }
        headers.add(name);
        headers.add(value);
        touched = true;
        return this;
    }

    public HttpResponse contentType(String contentType) {
        ResponseEncoder.checkHeaderValue(contentType);
        this.contentType = contentType;
        touched = true;
        return this;
    }

    /** Bytes body (default content type {@code text/plain}); large arrays are sent without a copy. */
    public HttpResponse body(byte[] body) {
        clearBody();
        this.bytes = Objects.requireNonNull(body, "body");
        bodyKind = BYTES;
        return defaultType("text/plain");
    }

    /** Text body, UTF-8 (default content type {@code text/html; charset=utf-8}). */
    public HttpResponse body(String body) {
        clearBody();
        this.bytes = body.getBytes(StandardCharsets.UTF_8);
        bodyKind = BYTES;
        return defaultType("text/html; charset=utf-8");
    }

    /** The buffer's remaining bytes (default content type {@code application/octet-stream}). */
    public HttpResponse body(ByteBuffer body) {
        clearBody();
        this.buffer = Objects.requireNonNull(body, "body");
        bodyKind = BUFFER;
        return defaultType("application/octet-stream");
    }

    /** {@code value} as JSON ({@link JsonWriter}), {@code application/json}. */
    public HttpResponse json(Object value) {
        clearBody();
        this.json = value;
        bodyKind = JSON;
        return defaultType("application/json");
    }

    /**
     * {@code length} bytes of {@code file} from {@code offset}, sent zero-copy (TransmitFile / transferTo).
     * The caller is responsible for the file's existence and for the range being inside it.
     */
    public HttpResponse file(Path file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset/length < 0: " + offset + "/" + length);
        }
        clearBody();
        this.file = Objects.requireNonNull(file, "file");
        this.fileOffset = offset;
        this.fileLength = length;
        bodyKind = FILE;
        return defaultType("application/octet-stream");
    }

    /** A redirect ({@code 301, 302, 303, 307, 308}) to {@code location}. */
    public HttpResponse redirect(int status, String location) {
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        ResponseEncoder.checkHeaderValue(location);
        status(status);
        headers.add("Location");
        headers.add(location);
        return this;
    }

    private void clearBody() {
        bytes = null;
        buffer = null;
        json = null;
        file = null;
        touched = true;
    }

    private HttpResponse defaultType(String type) {
        if (contentType == null) { contentType = type; }
        return this;
    }

    /** The first value of header {@code name} added by the handler, or null (for tests and listeners). */
    public String header(String name) {
        if (name.equalsIgnoreCase("content-type")) { return contentType; }
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) { return headers.get(i + 1); }
        }
        return null;
    }
}

package io.pxj.demo.http;

import io.pxj.runtime.FileRegion;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A demo route's answer. The {@code io.pxj.http} adapter turns it into the module's response: status, content
 * type, and a body that is either bytes or a zero-copy {@link FileRegion}.
 *
 * @param status       HTTP status code
 * @param contentType  Content-Type header value
 * @param body         {@code byte[]} or {@link FileRegion}
 * @param cacheControl Cache-Control header value, or null for none
 */
public record DemoResponse(int status, String contentType, Object body, String cacheControl) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";
    public static final String HTML = "text/html; charset=utf-8";

    public DemoResponse {
        Objects.requireNonNull(contentType, "contentType");
        if (!(body instanceof byte[]) && !(body instanceof FileRegion))
            throw new IllegalArgumentException("body must be byte[] or FileRegion: " + body);
    }

    public static DemoResponse ok(String contentType, byte[] body) {
        return new DemoResponse(200, contentType, body, null);
    }

    public static DemoResponse json(String json) {
        return new DemoResponse(200, JSON, json.getBytes(StandardCharsets.UTF_8), "no-store");
    }

    public static DemoResponse text(int status, String text) {
        return new DemoResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8), null);
    }

    public static DemoResponse file(String contentType, FileRegion region) {
        return new DemoResponse(200, contentType, region, null);
    }

    /** The body as bytes (tests; not for file bodies). */
    public byte[] bytes() {
        if (body instanceof byte[] b) return b;
        throw new IllegalStateException("body is a file region: " + body);
    }

    /** The body as a string (tests; not for file bodies). */
    public String bodyText() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}

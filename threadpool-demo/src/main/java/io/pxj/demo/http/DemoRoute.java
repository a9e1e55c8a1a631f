package io.pxj.demo.http;

import java.util.Objects;

/**
 * One route of the demo's HTTP app: an exact path ("/stats") or a prefix ("/lookup/", longest prefix wins).
 *
 * @param path    the path, or the prefix ending in '/' when {@code prefix}
 * @param prefix  true for a prefix route
 * @param handler called in the request's parallel context; must not block
 */
public record DemoRoute(String path, boolean prefix, Handler handler) {
    public DemoRoute {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/': " + path);
    }

    public static DemoRoute exact(String path, Handler handler) {
        return new DemoRoute(path, false, handler);
    }

    public static DemoRoute prefix(String prefix, Handler handler) {
        return new DemoRoute(prefix, true, handler);
    }

    /** A route handler; runs on a pool thread, possibly many at once. */
    @FunctionalInterface
    public interface Handler {
        DemoResponse handle(DemoRequest request) throws Exception;
    }
}

package io.pxj.demo.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * What a demo route sees of an HTTP request; built by the {@code io.pxj.http} adapter from its request object
 * (see {@link io.pxj.demo.integration.HttpIntegration}) and directly by tests.
 *
 * @param method    request method, e.g. "GET"
 * @param path      the decoded request path, e.g. "/lookup/ka"
 * @param remainder for a prefix route, the part of the path after the prefix ("ka"); "" for exact routes
 * @param query     the raw query string without '?', or "" if none
 * @param state     read-only state the main thread published (in production the handler's parallel context)
 */
public record DemoRequest(String method, String path, String remainder, String query, PublishedState state) {

    /** Read-only state published by the main thread; in production {@code ParallelContext::published}. */
    @FunctionalInterface
    public interface PublishedState {
        <T> T published(String name, Class<T> type);
    }

    /** The first value of query parameter {@code name}, decoded, or {@code fallback}. */
    public String queryParam(String name, String fallback) {
        if (query == null || query.isEmpty()) return fallback;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(k).equals(name)) return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
        return fallback;
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}

package io.pxj.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Maps a normalised path to a {@link Route}: exact routes through an open-addressing table hashed over the
 * path bytes, then prefix routes longest first, matched on segment boundaries ({@code /api} matches
 * {@code /api} and {@code /api/x}, not {@code /apix}; {@code /} matches everything). Lookup never allocates.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class Router {
    /** A path's handlers by method. */
    static final class Route {
        final byte[] pattern;
        final boolean prefix;
        final HttpHandler[] handlers = new HttpHandler[HttpMethod.values().length];
        String allow;

        Route(byte[] pattern, boolean prefix) {
            this.pattern = pattern;
            this.prefix = prefix;
        }

        /** The handler for {@code m}; HEAD falls back to GET. */
        HttpHandler handler(HttpMethod m) {
            HttpHandler h = handlers[m.ordinal()];
            if (h == null && m == HttpMethod.HEAD) { h = handlers[HttpMethod.GET.ordinal()]; }
            return h;
        }

        void seal() {
            StringJoiner j = new StringJoiner(", ");
            for (HttpMethod m : HttpMethod.values()) {
                if (handlers[m.ordinal()] != null || (m == HttpMethod.HEAD && handlers[0] != null)) { j.add(m.name()); }
            }
            allow = j.toString();
        }
    }

    private final Route[] table;
    private final int mask;
    private final Route[] prefixes;
    private final StaticFiles[] staticFiles; // routed file handlers: their caches count as the runtime's memory

    private Router(List<Route> exact, List<Route> prefixRoutes) {
        int size = Integer.highestOneBit(Math.max(4, exact.size() * 3)) << 1;
        table = new Route[size];
        mask = size - 1;
        for (Route r : exact) {
            int i = hash(r.pattern, r.pattern.length) & mask;
            while (table[i] != null) { i = (i + 1) & mask; }
            table[i] = r;
        }
        prefixes = prefixRoutes.toArray(new Route[0]);
        Set<StaticFiles> files = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Route> routes : List.of(exact, prefixRoutes)) {
            for (Route r : routes) {
                for (HttpHandler h : r.handlers) {
                    if (h instanceof StaticFiles f) { files.add(f); }
                }
            }
        }
        staticFiles = files.toArray(new StaticFiles[0]);
        Arrays.sort(prefixes, Comparator.comparingInt((Route r) -> r.pattern.length).reversed());
    }

    /** Direct memory held by the caches of the routed {@link StaticFiles} handlers. Thread-safe. */
    long staticCacheBytes() {
        long n = 0;
        for (StaticFiles f : staticFiles) { n += f.cachedBytes(); }
        return n;
    }

    /** Finds the route for {@code req}'s path and records the matched prefix length in it; null when none. */
    Route match(HttpRequest req) {
        byte[] p = req.path;
        int n = req.pathLength;
        for (int i = hash(p, n) & mask; table[i] != null; i = (i + 1) & mask) {
            Route r = table[i];
            if (r.pattern.length == n && Arrays.equals(r.pattern, 0, n, p, 0, n)) {
                req.routePrefixLength = 0;
                return r;
            }
        }
        for (Route r : prefixes) {
            int k = r.pattern.length;
            if (k == 1 || (n >= k && Arrays.equals(r.pattern, 0, k, p, 0, k) && (n == k || p[k] == '/'))) {
                req.routePrefixLength = k;
                return r;
            }
        }
        return null;
    }

    private static int hash(byte[] b, int n) {
        int h = 0;
        for (int i = 0; i < n; i++) { h = 31 * h + b[i]; }
        return h ^ (h >>> 16);
    }

    /** Collects registrations; rejects duplicates. */
    static final class Builder {
        private final Map<String, Route> exact = new LinkedHashMap<>();
        private final Map<String, Route> prefix = new LinkedHashMap<>();

        void add(String path, boolean isPrefix, HttpHandler handler, HttpMethod... methods) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("route must start with '/': " + path);
            }
            if (handler == null) { throw new NullPointerException("handler"); }
            if (methods.length == 0) { throw new IllegalArgumentException("no methods for " + path); }
            String key = canonical(path, isPrefix);
            Map<String, Route> map = isPrefix ? prefix : exact;
            Route r = map.computeIfAbsent(key, k -> new Route(k.getBytes(StandardCharsets.UTF_8), isPrefix));
            for (HttpMethod m : methods) {
                if (r.handlers[m.ordinal()] != null) {
                    throw new IllegalArgumentException("duplicate route: " + m + " " + (isPrefix ? "prefix " : "")
                            + path);
                }
                r.handlers[m.ordinal()] = handler;
            }
        }

        /** Routes match normalised paths, so patterns are normalised the same way (prefixes lose a trailing '/'). */
        private static String canonical(String path, boolean isPrefix) {
            byte[] raw = path.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[raw.length + 1];
            int n = PathNormalizer.normalize(java.nio.ByteBuffer.wrap(raw), 0, raw.length, out);
            if (n < 0) { throw new IllegalArgumentException("invalid route path: " + path); }
            if (isPrefix && n > 1 && out[n - 1] == '/') { n--; }
            return new String(out, 0, n, StandardCharsets.UTF_8);
        }

        Router build() {
            List<Route> e = new ArrayList<>(exact.values());
            List<Route> p = new ArrayList<>(prefix.values());
            e.forEach(Route::seal);
            p.forEach(Route::seal);
            return new Router(e, p);
        }
    }
}

package io.pxj.demo.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's files, read once from the jar ({@code io/pxj/demo/dashboard/}) into immutable byte arrays that
 * every handler shares read-only.
 */
public final class DashboardResources {
    /** Classpath folder of the dashboard. */
    public static final String FOLDER = "/io/pxj/demo/dashboard/";
    /** The dashboard's files and their content types. */
    public static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    /** One file: its content type and bytes (shared, never modified). */
    public record Resource(String contentType, byte[] body) {}

    private final Map<String, Resource> content;

    private DashboardResources(Map<String, Resource> content) {
        this.content = content;
    }

    public static DashboardResources load() {
        Map<String, Resource> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            try (InputStream in = DashboardResources.class.getResourceAsStream(FOLDER + f.getKey())) {
                if (in == null) {
                    throw new IllegalStateException("dashboard resource missing from the jar: " + FOLDER + f.getKey());
                }
                m.put(f.getKey(), new Resource(f.getValue(), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("reading dashboard resource " + f.getKey(), e);
            }
        }
        return new DashboardResources(Map.copyOf(m));
    }

    /** Dashboard file {@code name}, or null if there is no such file. */
    public Resource get(String name) {
        return content.get(name);
    }
}

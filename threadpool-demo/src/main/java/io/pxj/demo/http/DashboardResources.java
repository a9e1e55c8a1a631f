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
            "index.html", DemoResponse.HTML,
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> content;

    private DashboardResources(Map<String, byte[]> content) {
        this.content = content;
    }

    public static DashboardResources load() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String name : FILES.keySet()) {
            try (InputStream in = DashboardResources.class.getResourceAsStream(FOLDER + name)) {
                if (in == null) throw new IllegalStateException("dashboard resource missing from the jar: " + FOLDER + name);
                m.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("reading dashboard resource " + name, e);
            }
        }
        return new DashboardResources(Map.copyOf(m));
    }

    /** The response for dashboard file {@code name}, or null if there is no such file. */
    public DemoResponse response(String name) {
        byte[] body = content.get(name);
        if (body == null) return null;
        return new DemoResponse(200, FILES.get(name), body, "no-cache");
    }
}

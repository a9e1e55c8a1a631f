package io.pxj.demo.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardResourcesTest {
    static String text(String name) throws IOException {
        try (InputStream in = DashboardResources.class.getResourceAsStream(DashboardResources.FOLDER + name)) {
            assertNotNull(in, name + " is in the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void allFilesArePresentAndServed() throws IOException {
        DashboardResources d = DashboardResources.load();
        for (String name : DashboardResources.FILES.keySet()) {
            DashboardResources.Resource r = d.get(name);
            assertEquals(DashboardResources.FILES.get(name), r.contentType());
            assertEquals(text(name), new String(r.body(), StandardCharsets.UTF_8));
        }
        assertNull(d.get("../secret"));
    }

    @Test
    void referencesOnlyLocalUrls() throws IOException {
        // No CDN, no fonts, no analytics: no absolute http(s) or protocol-relative URL anywhere.
        Pattern absolute = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");
        for (String name : DashboardResources.FILES.keySet()) {
            String t = text(name);
            Matcher m = absolute.matcher(t.replaceAll("(?m)^\\s*//.*$", "")); // ignore JS line comments
            assertFalse(m.find(), name + " references a remote URL: " + (m.find(0) ? m.group() : ""));
            assertFalse(t.toLowerCase().contains("http://") || t.toLowerCase().contains("https://"), name);
        }
        String html = text("index.html");
        Matcher src = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (src.find()) {
            String url = src.group(1);
            assertTrue(url.startsWith("/") || url.startsWith("data:") || url.startsWith("#"), "local URL: " + url);
            if (url.startsWith("/dashboard/")) {
                assertTrue(DashboardResources.FILES.containsKey(url.substring("/dashboard/".length())), url);
            }
        }
    }

    @Test
    void dashboardPollsStatsAndDrawsOnCanvas() throws IOException {
        String html = text("index.html");
        String js = text("dashboard.js");
        assertTrue(html.contains("<canvas"), "charts are canvases");
        assertTrue(js.contains("fetch('/stats'"), "polls /stats");
        assertTrue(js.contains("getContext('2d')"), "draws by hand");
        for (String key : new String[] {"requestsPerSecond", "p50", "p99", "connectionsActive", "threads", "arenaBytesInUse",
                "directBytesInUse", "memorySoftLimit"}) {
            assertTrue(js.contains(key), "uses " + key);
        }
    }

    @Test
    void dashboardListsEveryBackendCounter() throws IOException {
        // The Windows backend's counters (skip-on-success modes, DisconnectEx reuse, leaks) reach the page.
        assertTrue(text("index.html").contains("id=\"counters\""), "a counters table");
        assertTrue(text("dashboard.js").contains("px.backendCounters"), "filled from px.backendCounters");
    }
}

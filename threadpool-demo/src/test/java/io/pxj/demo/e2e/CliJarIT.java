package io.pxj.demo.e2e;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar itself: runnable, self-describing, clean failures. */
class CliJarIT {
    @Test
    void helpAndVersionFromTheJar() throws Exception {
        DemoJar.Result help = DemoJar.run(60, "--help");
        assertEquals(0, help.exitCode(), help.toString());
        for (String cmd : List.of("echo", "http", "load", "work")) assertTrue(help.out().contains("\n  " + cmd + " "), help.toString());
        DemoJar.Result version = DemoJar.run(60, "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("(?s)PxJ threadpool-demo \\d+\\.\\d+\\.\\d+.*"), "version from the manifest: " + version);
    }

    @Test
    void badUsageExits2WithUsageAndNoStackTrace() throws Exception {
        DemoJar.Result r = DemoJar.run(60, "load", "http", "--connections", "0", "http://127.0.0.1:1/");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--connections must be 1..100,000: 0"), r.toString());
        assertTrue(r.err().contains("Usage: threadpool-demo load"), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
    }

    @Test
    void selfCheckFromTheJarReportsTheBackendAndEveryPart() throws Exception {
        DemoJar.Result r = DemoJar.run(60, "--self-check");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().matches("(?s).*\\Rruntime-core: ok - backend \\w+, \\d+ pool threads, px.submitWork round trip\\R.*"), r.toString());
        assertTrue(r.out().matches("(?s).*\\Rio\\.pxj\\.http: ok - GET /plaintext on 127\\.0\\.0\\.1:\\d+ answered 200 Hello, World!\\R.*"), r.toString());
        assertTrue(r.out().matches("(?s).*\\Rio\\.pxj\\.services: ok - echo, upper, lines, discard, daytime, chargen; .*"), r.toString());
        assertTrue(r.out().contains("All parts work."), r.toString());
    }

    @Test
    void jarHasTheManifestTheServicesAndOneLoggingBinding() throws Exception {
        try (JarFile jar = new JarFile(DemoJar.jar().toFile())) {
            assertEquals("io.pxj.demo.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(jar.getEntry("simplelogger.properties"));
            assertNotNull(jar.getEntry("io/pxj/demo/dashboard/index.html"));
            assertNotNull(jar.getEntry("org/slf4j/simple/SimpleLogger.class"));
            assertNotNull(jar.getEntry("org/HdrHistogram/Recorder.class"));
            assertNotNull(jar.getEntry("picocli/CommandLine.class"));
            assertNotNull(jar.getEntry("io/pxj/runtime/Px.class"));
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                assertFalse(n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"), "signature file left in the fat jar: " + n);
                assertFalse(n.endsWith("module-info.class"), n);
            }
        }
    }
}

package io.pxj.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.http.HttpLimits;
import io.pxj.runtime.internal.BackendSelector;
import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuilderTest {
    @Test
    void settersNameTheBadArgument() {
        Px.Builder b = Px.builder();
        assertMessage("threads", () -> b.threads(0));
        assertMessage("maxThreads", () -> b.maxThreads(0));
        assertMessage("arenaLimitPerContext", () -> b.arenaLimitPerContext(0));
        assertMessage("memorySoftLimit", () -> b.memorySoftLimit(-1));
        assertMessage("shutdownTimeout", () -> b.shutdownTimeout(Duration.ofSeconds(-1)));
        assertMessage("acceptsPerListener", () -> b.acceptsPerListener(0));
        assertMessage("backend", () -> b.backend(" "));
        assertMessage("maxThreads", () -> Px.builder().threads(4).maxThreads(2).build());
    }

    @Test
    void optionRecordsRefuseBadValuesAtBuildNamingThem() {
        assertMessage("maxLineLength", () -> ProtocolOptions.builder().maxLineLength(0).build());
        assertMessage("rateLimitBytesPerSecond", () -> ProtocolOptions.builder().rateLimitBytesPerSecond(-1).build());
        assertMessage("receiveBufferSize", () -> ProtocolOptions.builder().receiveBufferSize(63).build());
        assertMessage("sendHighWaterMark", () -> ProtocolOptions.builder().sendHighWaterMark(0).build());
        assertMessage("idleTimeout", () -> ProtocolOptions.builder().idleTimeout(Duration.ZERO).build());
        assertThrows(NullPointerException.class, () -> ProtocolOptions.builder().ioMode(null).build());
        assertMessage("backlog", () -> ServerOptions.builder().backlog(0).build());
        assertMessage("maxConnections", () -> ServerOptions.builder().maxConnections(-1).build());
        assertMessage("acceptsPosted", () -> ServerOptions.builder().acceptsPosted(-1).build());
        assertMessage("maxRequestLineBytes", () -> HttpLimits.builder().maxRequestLineBytes(15).build());
        assertMessage("maxBodyBytes", () -> HttpLimits.builder().maxBodyBytes((1L << 30) + 1).build());
        assertMessage("bodyReadTimeout", () -> HttpLimits.builder().bodyReadTimeout(Duration.ofSeconds(-1)).build());
        // The canonical constructor is public on a record: it checks too.
        assertMessage("backlog", () -> new ServerOptions(-5, 0, 0, false, true, false));
    }

    @Test
    void optionRecordsRoundTripThroughTheirBuilders() {
        ProtocolOptions p = ProtocolOptions.builder().linesMode(true).maxLineLength(100).rateLimitBytesPerSecond(5)
                .ioMode(IoMode.THROUGHPUT).receiveBufferSize(4096).sendHighWaterMark(7)
                .idleTimeout(Duration.ofSeconds(3)).tcpNoDelay(false).build();
        assertEquals(p, p.toBuilder().build());
        assertEquals(100, p.maxLineLength());
        ServerOptions s = ServerOptions.builder().backlog(7).maxConnections(9).acceptsPosted(3).ipv6Only(true)
                .refuseUnderMemoryPressure(false).deferAccept(true).build();
        assertEquals(s, s.toBuilder().build());
        assertTrue(s.deferAccept());
        assertFalse(ServerOptions.DEFAULT.deferAccept());
        assertEquals(ProtocolOptions.DEFAULT, ProtocolOptions.builder().build());
        assertEquals(ServerOptions.DEFAULT, ServerOptions.builder().build());
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(name), x.getMessage());
    }

    static BackendProvider provider(String name, int priority, boolean available) {
        return new BackendProvider() {
            @Override public String name() { return name; }
            @Override public int priority() { return priority; }
            @Override public boolean isAvailable() { return available; }
            @Override public String unavailabilityCause() { return available ? null : name + " needs Windows"; }
            @Override public Backend create(BackendConfig config) { throw new UnsupportedOperationException(); }
        };
    }

    @Test
    void selectionPrefersTheHighestAvailablePriority() {
        BackendProvider nio = provider("nio", 10, true);
        BackendProvider win = provider("windows", 100, false);
        assertSame(nio, BackendSelector.select(null, List.of(win, nio)));
        BackendProvider win2 = provider("windows", 100, true);
        assertSame(win2, BackendSelector.select(null, List.of(nio, win2)));
    }

    @Test
    void forcedUnavailableBackendFailsNamingItAndWhy() {
        PxException e = assertThrows(PxException.class,
                () -> BackendSelector.select("windows", List.of(provider("nio", 10, true), provider("windows", 100, false))));
        assertTrue(e.getMessage().contains("'windows'"), e.getMessage());
        assertTrue(e.getMessage().contains("windows needs Windows"), e.getMessage());
        e = assertThrows(PxException.class, () -> BackendSelector.select("nope", List.of(provider("nio", 10, true))));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("nio"), e.getMessage());
    }

    @Test
    void systemPropertySelectsWhenTheBuilderDoesNot() {
        String old = System.getProperty("pxj.backend");
        System.setProperty("pxj.backend", "windows");
        try {
            BackendProvider nio = provider("nio", 10, true);
            BackendProvider win = provider("windows", 100, true);
            assertSame(win, BackendSelector.select(null, List.of(nio, win)));
            assertSame(nio, BackendSelector.select("nio", List.of(nio, win)), "the builder wins");
        } finally {
            if (old == null) System.clearProperty("pxj.backend");
            else System.setProperty("pxj.backend", old);
        }
    }

    @Test
    void serviceLoaderPicksEpollWhereItsJniLibraryLoadedElseNio() {
        // windows is unavailable off Windows; epoll outranks nio only with its JNI library (built on Linux).
        String expected = io.pxj.linux.Linux.isAvailable() && io.pxj.linux.Linux.usesJni() ? "epoll" : "nio";
        try (Px px = Px.builder().threads(1).build()) {
            assertEquals(expected, px.backendName());
        }
    }
}

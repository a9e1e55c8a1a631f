package io.pxj.runtime;

import io.pxj.services.EchoProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's MXBean read through the platform MBeanServer, as JConsole or a JMX exporter would. */
@Timeout(30)
class PxJmxTest {
    private final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();

    @Test
    void countersOfARealConnectionAreReadableThroughJmxWhileTheRuntimeIsOpen() throws Exception {
        ObjectName on = new ObjectName("io.pxj:type=Px,name=jmx-e2e");
        try (Px px = Px.builder().name("jmx-e2e").threads(1).build()) {
            assertEquals("jmx-e2e", px.name());
            assertTrue(mbs.isRegistered(on));
            Server server = px.server(new InetSocketAddress("127.0.0.1", 0), EchoProtocol::new);
            byte[] msg = "hello jmx".getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket("127.0.0.1", server.localAddress().getPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(msg);
                InputStream in = s.getInputStream();
                assertArrayEquals(msg, in.readNBytes(msg.length));
            }
            assertEquals(px.backendName(), mbs.getAttribute(on, "Backend"));
            assertEquals("jmx-e2e", mbs.getAttribute(on, "Name"));
            assertTrue((Long) mbs.getAttribute(on, "ConnectionsTotal") >= 1);
            assertTrue((Long) mbs.getAttribute(on, "BytesIn") >= msg.length);
            // The send is counted when its completion is handled, which may come after the client read the echo.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((Long) mbs.getAttribute(on, "BytesOut") < msg.length && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue((Long) mbs.getAttribute(on, "BytesOut") >= msg.length);
            assertTrue((Integer) mbs.getAttribute(on, "Threads") >= 1);
            assertEquals(Boolean.FALSE, mbs.getAttribute(on, "UnderMemoryPressure"));
            assertTrue(mbs.getAttribute(on, "BackendCounters") instanceof TabularData);
            // A second open runtime with the same name is refused, naming it; the first stays registered.
            IllegalStateException dup = assertThrows(IllegalStateException.class,
                    () -> Px.builder().name("jmx-e2e").threads(1).build());
            assertTrue(dup.getMessage().contains("jmx-e2e"), dup.getMessage());
            assertTrue(mbs.isRegistered(on));
        }
        assertFalse(mbs.isRegistered(on), "the MXBean outlived its runtime");
    }

    @Test
    void everyAttributeOfTheInterfaceIsRegisteredAndReadsTheMatchingStatsValue() throws Exception {
        ObjectName on = new ObjectName("io.pxj:type=Px,name=jmx-all");
        try (Px px = Px.builder().name("jmx-all").threads(1).build()) {
            MBeanAttributeInfo[] attributes = mbs.getMBeanInfo(on).getAttributes();
            int getters = 0;
            for (Method m : PxMXBean.class.getMethods()) {
                getters++;
                String attribute = m.getName().replaceFirst("^(get|is)", "");
                assertTrue(Arrays.stream(attributes).anyMatch(a -> a.getName().equals(attribute)), attribute);
                assertNotNull(mbs.getAttribute(on, attribute), attribute);
            }
            assertEquals(getters, attributes.length);
            // Counters that do not move while nothing runs: the MXBean reads the same numbers as stats().
            PxStats stats = px.stats();
            assertEquals(stats.threads(), mbs.getAttribute(on, "Threads"));
            assertEquals(stats.connectionsTotal(), mbs.getAttribute(on, "ConnectionsTotal"));
            assertEquals(stats.arenaBytesReserved(), mbs.getAttribute(on, "ArenaBytesReserved"));
        }
    }

    @Test
    void defaultNamesAreDistinctAndJmxCanBeTurnedOff() throws Exception {
        try (Px a = Px.builder().threads(1).build(); Px b = Px.builder().threads(1).build();
             Px c = Px.builder().threads(1).jmx(false).build()) {
            assertFalse(a.name().equals(b.name()));
            assertTrue(mbs.isRegistered(new ObjectName("io.pxj:type=Px,name=" + a.name())));
            assertTrue(mbs.isRegistered(new ObjectName("io.pxj:type=Px,name=" + b.name())));
            assertFalse(mbs.isRegistered(new ObjectName("io.pxj:type=Px,name=" + c.name())));
        }
    }

    @Test
    void namesThatJmxWouldMisreadAreRefused() {
        for (String bad : new String[] {"", "a,b", "a=b", "a:b", "x*", "with space"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Px.builder().name(bad));
            assertTrue(e.getMessage().startsWith("name must be"), e.getMessage());
        }
    }
}

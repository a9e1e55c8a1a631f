package io.pxj.runtime.internal;

import io.pxj.runtime.Px;
import io.pxj.runtime.PxMXBean;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a runtime's {@link PxMXBean} in the platform MBeanServer and removes it again.
 * Threading: {@link #register} and {@link #unregister} are thread-safe; attribute reads come from JMX threads.
 */
public final class PxJmx {
    private final ObjectName objectName;

    private PxJmx(ObjectName objectName) {
        this.objectName = objectName;
    }

    /** The ObjectName for a runtime called {@code name} ({@code io.pxj:type=Px,name=<name>}). */
    public static ObjectName objectName(String name) {
        try {
            return new ObjectName("io.pxj:type=Px,name=" + name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("name is not usable in a JMX ObjectName: '" + name + "'", e);
        }
    }

    /**
     * Registers the MXBean of {@code px}.
     *
     * @throws IllegalStateException if a runtime of that name is already registered
     */
    public static PxJmx register(Px px, String name) {
        ObjectName on = objectName(name);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new StandardMBean(new View(px, name), PxMXBean.class, true), on);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("a PxJ runtime named '" + name + "' is already registered in JMX ("
                    + on + "); give each runtime its own Px.Builder.name(..)", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + on + ": " + e, e);
        }
        return new PxJmx(on);
    }

    /** Removes the MXBean; idempotent. */
    public void unregister() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (InstanceNotFoundException alreadyGone) {
            // closed twice, or removed by someone else: nothing left to do
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + objectName + ": " + e, e);
        }
    }

    public ObjectName objectName() {
        return objectName;
    }

    /** Reads {@code px.stats()} per attribute: JMX clients read a handful of attributes at a time. */
    private static final class View implements PxMXBean {
        private final Px px;
        private final String name;
        private final Supplier<io.pxj.runtime.PxStats> stats;

        View(Px px, String name) {
            this.px = px;
            this.name = name;
            this.stats = px::stats;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getBackend() {
            return px.backendName();
        }

        @Override
        public boolean isUnderMemoryPressure() {
            return px.underMemoryPressure();
        }

        @Override
        public int getThreads() {
            return stats.get().threads();
        }

        @Override
        public long getContextsActive() {
            return stats.get().contextsActive();
        }

        @Override
        public long getContextsCreated() {
            return stats.get().contextsCreated();
        }

        @Override
        public long getContextsRecycled() {
            return stats.get().contextsRecycled();
        }

        @Override
        public long getArenaBytesInUse() {
            return stats.get().arenaBytesInUse();
        }

        @Override
        public long getArenaBytesReserved() {
            return stats.get().arenaBytesReserved();
        }

        @Override
        public long getArenaBytesHighWater() {
            return stats.get().arenaBytesHighWater();
        }

        @Override
        public long getConnectionsActive() {
            return stats.get().connectionsActive();
        }

        @Override
        public long getConnectionsTotal() {
            return stats.get().connectionsTotal();
        }

        @Override
        public long getConnectionsRefused() {
            return stats.get().connectionsRefused();
        }

        @Override
        public long getBytesIn() {
            return stats.get().bytesIn();
        }

        @Override
        public long getBytesOut() {
            return stats.get().bytesOut();
        }

        @Override
        public long getCallbacksRun() {
            return stats.get().callbacksRun();
        }

        @Override
        public long getErrors() {
            return stats.get().errors();
        }

        @Override
        public long getWorkSubmitted() {
            return stats.get().workSubmitted();
        }

        @Override
        public long getWorkCompleted() {
            return stats.get().workCompleted();
        }

        @Override
        public long getTimersActive() {
            return stats.get().timersActive();
        }

        @Override
        public long getMainQueueDepth() {
            return stats.get().mainQueueDepth();
        }

        @Override
        public Map<String, Long> getBackendCounters() {
            return stats.get().backendCounters();
        }
    }
}

package io.pxj.runtime;

import java.util.Map;

/**
 * The JMX view of one runtime, registered as {@code io.pxj:type=Px,name=<name>} in the platform MBeanServer
 * while the runtime is open (see {@link Px.Builder#name(String)} and {@link Px.Builder#jmx(boolean)}), so
 * JConsole, VisualVM, JMX exporters and monitoring agents read the same counters as {@link Px#stats()} without
 * any code.
 *
 * <p>Threading: every attribute is read on the JMX caller's thread from the runtime's thread-safe counters; a
 * read is not an atomic snapshot across attributes.
 */
public interface PxMXBean {
    /** The runtime's name (the {@code name} key of the ObjectName). */
    String getName();

    /** The backend in use ("windows", "epoll", "nio"). */
    String getBackend();

    /** True when arena memory is above the soft limit. */
    boolean isUnderMemoryPressure();

    int getThreads();

    long getContextsActive();

    long getContextsCreated();

    long getContextsRecycled();

    long getArenaBytesInUse();

    long getArenaBytesReserved();

    long getArenaBytesHighWater();

    long getConnectionsActive();

    long getConnectionsTotal();

    long getConnectionsRefused();

    long getBytesIn();

    long getBytesOut();

    long getCallbacksRun();

    long getErrors();

    long getWorkSubmitted();

    long getWorkCompleted();

    long getTimersActive();

    long getMainQueueDepth();

    /** Backend-specific counters (an open-type table keyed by counter name). */
    Map<String, Long> getBackendCounters();
}

package io.pxj.runtime.internal;

import io.pxj.runtime.Px;
import io.pxj.runtime.PxMXBean;
import io.pxj.runtime.PxStats;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
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
            server.registerMBean(new StandardMBean(view(px, name), PxMXBean.class, true), on);
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

    /**
     * The MXBean of {@code px}: a proxy whose attributes are derived from one list, {@link PxStats}' record
     * components. An attribute {@code getX} or {@code isX} reads {@code px.stats().x()} when it is read (JMX
     * clients read a handful of attributes at a time); only the name and the memory-pressure flag, which are not
     * counters, are read from elsewhere. A getter of {@link PxMXBean} that matches no component fails here, when
     * the first runtime registers, rather than when a monitoring agent reads it.
     */
    static PxMXBean view(Px px, String name) {
        Map<Method, Function<Px, Object>> reads = new HashMap<>();
        for (Method m : PxMXBean.class.getMethods()) {
            reads.put(m, switch (m.getName()) {
                case "getName" -> p -> name;
                case "getBackend" -> Px::backendName;
                case "isUnderMemoryPressure" -> Px::underMemoryPressure;
                default -> statsComponent(m);
            });
        }
        InvocationHandler handler = (proxy, m, args) -> {
            Function<Px, Object> read = reads.get(m);
            if (read != null) {
                return read.apply(px);
            }
            return switch (m.getName()) { // the Object methods every proxy receives
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "PxMXBean[" + name + "]";
            };
        };
        return (PxMXBean) Proxy.newProxyInstance(PxMXBean.class.getClassLoader(), new Class<?>[] {PxMXBean.class},
                handler);
    }

    /** Reads the {@link PxStats} component that {@code getter} ({@code getX} or {@code isX}) names. */
    private static Function<Px, Object> statsComponent(Method getter) {
        String attribute = getter.getName().replaceFirst("^(get|is)", "");
        String component = Character.toLowerCase(attribute.charAt(0)) + attribute.substring(1);
        for (RecordComponent c : PxStats.class.getRecordComponents()) {
            if (c.getName().equals(component) && c.getType() == getter.getReturnType()) {
                Method accessor = c.getAccessor();
                return px -> {
                    try {
                        return accessor.invoke(px.stats());
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read PxStats." + component + ": " + e, e);
                    }
                };
            }
        }
        throw new IllegalStateException("PxMXBean." + getter.getName() + " has no PxStats component "
                + component + " of type " + getter.getReturnType());
    }
}

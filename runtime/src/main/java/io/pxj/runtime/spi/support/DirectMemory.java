package io.pxj.runtime.spi.support;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Reads the native address of a direct {@link ByteBuffer}, so views ({@code slice()}, {@code duplicate()}) of
 * arena or receive-buffer memory can be recognised whoever created them.
 *
 * <p>Uses {@code sun.misc.Unsafe} (module jdk.unsupported, open by default) through method handles, the way Netty
 * does, because {@code Buffer.address} is not readable otherwise without {@code --add-opens}. If Unsafe is
 * unavailable, {@link #address} returns 0 and callers fall back to identity checks.
 *
 * <p>Threading: stateless, thread-safe.
 */
public final class DirectMemory {
    private static final MethodHandle GET_LONG; // (Object, long) -> long, bound to the Unsafe instance
    private static final long ADDRESS_OFFSET;

    static {
        MethodHandle getLong = null;
        long offset = -1;
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle fieldOffset = lookup.findVirtual(unsafeClass, "objectFieldOffset",
                    MethodType.methodType(long.class, Field.class)).bindTo(unsafe);
            offset = (long) fieldOffset.invokeExact(Buffer.class.getDeclaredField("address"));
            getLong = lookup.findVirtual(unsafeClass, "getLong",
                    MethodType.methodType(long.class, Object.class, long.class)).bindTo(unsafe);
            // Sanity check against a buffer whose layout we know: two views of one block differ by their offset.
            ByteBuffer probe = ByteBuffer.allocateDirect(16);
            long a = (long) getLong.invokeExact((Object) probe, offset);
            long b = (long) getLong.invokeExact((Object) probe.slice(8, 8), offset);
            if (a == 0 || b - a != 8) { getLong = null; }
        } catch (Throwable t) {
            getLong = null;
        }
        GET_LONG = getLong;
        ADDRESS_OFFSET = offset;
    }

    private DirectMemory() {}

    /**
     * The JVM's direct-memory limit: {@code -XX:MaxDirectMemorySize} when given, else the maximum heap (the JVM's
     * default for that limit).
     */
    public static long limit() {
        long limit = Runtime.getRuntime().maxMemory();
        try {
            for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("-XX:MaxDirectMemorySize=")) {
                    long v = parseSize(a.substring("-XX:MaxDirectMemorySize=".length()));
                    if (v > 0) { limit = v; }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // no management: the default applies
        }
        return limit;
    }

    private static long parseSize(String v) {
        try {
            char unit = Character.toLowerCase(v.charAt(v.length() - 1));
            int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : unit == 't' ? 40 : 0;
            String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
            return Long.parseLong(digits) << shift;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** True if {@link #address} works on this JVM. */
    public static boolean supported() {
        return GET_LONG != null;
    }

    /** The address of {@code buffer}'s element 0, or 0 if it is not direct or addresses are unavailable. */
    public static long address(ByteBuffer buffer) {
        if (GET_LONG == null || buffer == null || !buffer.isDirect()) { return 0; }
        try {
            return (long) GET_LONG.invokeExact((Object) buffer, ADDRESS_OFFSET);
        } catch (Throwable t) {
            return 0;
        }
    }
}

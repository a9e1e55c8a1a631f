package io.pxj.runtime.internal;

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

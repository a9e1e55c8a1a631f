package io.pxj.linux;

import com.sun.jna.Platform;
import io.pxj.linux.raw.LibC;
import io.pxj.linux.raw.LinuxConstants;
import io.pxj.linux.raw.Syscalls;

/**
 * Whether the Linux bindings work here, Netty style: {@link #isAvailable()} and, when not,
 * {@link #unavailabilityCause()} saying why (not 64-bit Linux, libc not loadable, epoll refused).
 *
 * <p>Stateless after class initialisation; thread-safe.
 */
public final class Linux {
    private static final Throwable CAUSE = probe();

    private Linux() {
    }

    private static Throwable probe() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return new UnsupportedOperationException("needs 64-bit Linux; this is os type " + Platform.getOSType()
                    + ", arch " + Platform.ARCH);
        }
        try {
            int ep = LibC.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
            if (ep < 0) {
                return new LinuxException("epoll_create1", com.sun.jna.Native.getLastError());
            }
            LibC.close(ep);
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: JNA or libc missing
            return t;
        }
    }

    /** True if the epoll transport's calls work in this process. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why {@link #isAvailable()} is false; null when it is true. */
    public static Throwable unavailabilityCause() {
        return CAUSE;
    }

    /**
     * True when the per-connection calls (accept4, read, write, writev, sendfile, close, epoll_ctl, epoll_wait) go
     * through this module's JNI library, which costs a few nanoseconds per call instead of JNA's few hundred; false
     * when they go through JNA (the library was not built, could not be loaded, or {@code -Dpxj.linux.jni=false}).
     */
    public static boolean usesJni() {
        return CAUSE == null && Syscalls.usesJni();
    }

    /** Why {@link #usesJni()} is false; null when it is true. */
    public static Throwable jniUnavailabilityCause() {
        return CAUSE != null ? CAUSE : Syscalls.jniUnavailabilityCause();
    }

    /** Throws {@link UnsupportedOperationException} carrying {@link #unavailabilityCause()} unless available. */
    public static void ensureAvailable() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("the Linux bindings are unavailable: " + CAUSE, CAUSE);
        }
    }
}

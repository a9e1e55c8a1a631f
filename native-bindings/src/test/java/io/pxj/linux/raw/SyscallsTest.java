package io.pxj.linux.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The JNI library and the JNA fallback give the same results and the same {@code -errno} for the same calls, and
 * the library is used whenever the build packed it.
 */
@EnabledOnOs(OS.LINUX)
class SyscallsTest {
    private static final int EBADF = 9;
    private static final int EAGAIN = 11;
    private static final int ENOTSOCK = 88;

    private final Memory buf = new Memory(64);
    private final long addr = Pointer.nativeValue(buf);

    @Test
    void theLibraryPackedByTheBuildIsLoaded() {
        String arch = System.getProperty("os.arch");
        assumeTrue(SyscallsTest.class.getResource("/META-INF/native/libpxj-linux-" + arch + ".so") != null,
                "built with -Dpxj.jni.skip: no JNI library to load");
        assumeTrue(Boolean.parseBoolean(System.getProperty("pxj.linux.jni", "true")), "-Dpxj.linux.jni=false");
        assertNull(Syscalls.jniUnavailabilityCause());
        assertTrue(Syscalls.usesJni());
    }

    @Test
    void errorsComeBackAsMinusErrnoOnBothPaths() {
        assumeTrue(Syscalls.usesJni(), "JNI library not loaded");
        assertEquals(-EBADF, LinuxJni.close(-1));
        assertEquals(-EBADF, jna(LibC.close(-1)));
        assertEquals(-EBADF, LinuxJni.read(-1, addr, 8));
        assertEquals(-EBADF, jna(LibC.read(-1, addr, 8)));
        assertEquals(-EBADF, LinuxJni.epoll_wait(-1, addr, 1, 0));
        assertEquals(-EBADF, jna(LibC.epoll_wait(-1, addr, 1, 0)));

        int efd = LibC.eventfd(0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        assertTrue(efd >= 0);
        try {
            assertEquals(-ENOTSOCK, LinuxJni.accept4(efd, 0, 0, 0));
            assertEquals(-ENOTSOCK, jna(LibC.accept4(efd, 0, 0, 0)));
            assertEquals(-EAGAIN, LinuxJni.read(efd, addr, 8)); // counter is 0: would block
            assertEquals(-EAGAIN, jna(LibC.read(efd, addr, 8)));
        } finally {
            assertEquals(0, Syscalls.close(efd));
        }
    }

    @Test
    void resultsMatchOnBothPaths() {
        assumeTrue(Syscalls.usesJni(), "JNI library not loaded");
        int efd = LibC.eventfd(0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        assertTrue(efd >= 0);
        try {
            buf.setLong(0, 5);
            assertEquals(8, LinuxJni.write(efd, addr, 8));
            assertEquals(8, LibC.write(efd, addr, 8));
            buf.setLong(0, 3);
            Memory iov = new Memory(16);
            iov.setLong(0, addr);
            iov.setLong(8, 8);
            assertEquals(8, LinuxJni.writev(efd, Pointer.nativeValue(iov), 1));
            assertEquals(8, LinuxJni.read(efd, addr, 8));
            assertEquals(13, buf.getLong(0)); // 5 + 5 + 3, read and reset in one go
            assertEquals(-EAGAIN, jna(LibC.read(efd, addr, 8)));
        } finally {
            assertEquals(0, Syscalls.close(efd));
        }
    }

    @Test
    void epollThroughJniReportsWhatIsReady() {
        assumeTrue(Syscalls.usesJni(), "JNI library not loaded");
        int ep = LibC.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
        int efd = LibC.eventfd(1, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        assertTrue(ep >= 0 && efd >= 0);
        try (Memory event = new Memory(16)) {
            event.setInt(0, 0x001); // EPOLLIN
            event.setLong(Platform64.DATA_OFFSET, 0x1234_5678_9abcL);
            assertEquals(0, LinuxJni.epoll_ctl(ep, LinuxConstants.EPOLL_CTL_ADD, efd, Pointer.nativeValue(event)));
            Memory out = new Memory(32);
            assertEquals(1, LinuxJni.epoll_wait(ep, Pointer.nativeValue(out), 2, 1000));
            assertEquals(0x1234_5678_9abcL, out.getLong(Platform64.DATA_OFFSET));
        } finally {
            Syscalls.close(efd);
            Syscalls.close(ep);
        }
        String message = LibC.strerror(EBADF);
        assertTrue(message.toLowerCase().contains("bad file"), message);
    }

    private static long jna(long result) {
        return result < 0 ? -Native.getLastError() : result;
    }

    private static int jna(int result) {
        return result < 0 ? -Native.getLastError() : result;
    }

    /** epoll_event's data offset: packed on x86-64. */
    private static final class Platform64 {
        static final int DATA_OFFSET = com.sun.jna.Platform.isIntel() ? 4 : 8;
    }
}

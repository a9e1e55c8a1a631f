package io.pxj.linux.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link Syscalls} on whichever path is active (the build runs this class twice: with the JNI library and with
 * {@code -Dpxj.linux.jni=false}), and the JNI entry points against JNA's for the same calls.
 */
@EnabledOnOs(OS.LINUX)
class SyscallsTest {
    private static final int EBADF = 9;
    private static final int EAGAIN = 11;
    private static final int ENOTSOCK = 88;
    private static final boolean TURNED_OFF = !Boolean.parseBoolean(System.getProperty("pxj.linux.jni", "true"));

    private final Memory buf = new Memory(64);
    private final long addr = Pointer.nativeValue(buf);

    @Test
    void theLibraryIsUsedWhenTheBuildPackedItUnlessTurnedOff() {
        if (TURNED_OFF) {
            assertFalse(Syscalls.usesJni());
            assertNotNull(Syscalls.jniUnavailabilityCause());
            assertTrue(Syscalls.jniUnavailabilityCause().getMessage().contains("pxj.linux.jni=false"));
            return;
        }
        String arch = System.getProperty("os.arch");
        assumeTrue(SyscallsTest.class.getResource("/META-INF/native/libpxj-linux-" + arch + ".so") != null,
                "built without the JNI library (-Dpxj.jni.skip or no C compiler)");
        assertNull(Syscalls.jniUnavailabilityCause());
        assertTrue(Syscalls.usesJni());
    }

    @Test
    void failuresComeBackAsMinusErrno() {
        assertEquals(-EBADF, Syscalls.close(-1));
        assertEquals(-EBADF, Syscalls.read(-1, addr, 8));
        assertEquals(-EBADF, Syscalls.write(-1, addr, 8));
        assertEquals(-EBADF, Syscalls.epoll_wait(-1, addr, 1, 0));
        assertEquals(-EBADF, Syscalls.epoll_ctl(-1, LinuxConstants.EPOLL_CTL_DEL, 0, addr));
        int efd = eventfd(0);
        try {
            assertEquals(-ENOTSOCK, Syscalls.accept4(efd, 0, 0, 0));
            assertEquals(-EAGAIN, Syscalls.read(efd, addr, 8), "counter 0: would block");
        } finally {
            assertEquals(0, Syscalls.close(efd));
        }
    }

    @Test
    void resultsComeBackAsTheyAre() {
        int efd = eventfd(0);
        try (Memory iov = new Memory(16)) {
            buf.setLong(0, 5);
            assertEquals(8, Syscalls.write(efd, addr, 8));
            buf.setLong(0, 3);
            iov.setLong(0, addr);
            iov.setLong(8, 8);
            assertEquals(8, Syscalls.writev(efd, Pointer.nativeValue(iov), 1));
            buf.setLong(0, 0);
            assertEquals(8, Syscalls.read(efd, addr, 8));
            assertEquals(8, buf.getLong(0), "5 + 3, read and reset in one go");
        } finally {
            Syscalls.close(efd);
        }
    }

    @Test
    void epollReportsWhatIsReadyWithItsData() {
        int ep = LibC.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
        assertTrue(ep >= 0);
        int efd = eventfd(1);
        int dataOffset = com.sun.jna.Platform.isIntel() ? 4 : 8; // epoll_event is packed on x86-64
        try (Memory event = new Memory(16); Memory out = new Memory(32)) {
            event.setInt(0, 0x001); // EPOLLIN
            event.setLong(dataOffset, 0x1234_5678_9abcL);
            assertEquals(0, Syscalls.epoll_ctl(ep, LinuxConstants.EPOLL_CTL_ADD, efd, Pointer.nativeValue(event)));
            assertEquals(1, Syscalls.epoll_wait(ep, Pointer.nativeValue(out), 2, 1000));
            assertEquals(0x1234_5678_9abcL, out.getLong(dataOffset));
        } finally {
            Syscalls.close(efd);
            Syscalls.close(ep);
        }
    }

    @Test
    void theJniEntryPointsAgreeWithJna() {
        if (TURNED_OFF) { // this run really goes through JNA: the entry points are not even bound
            assertThrows(UnsatisfiedLinkError.class, () -> LinuxJni.close(-1));
            return;
        }
        assumeTrue(Syscalls.usesJni(), "built without the JNI library (-Dpxj.jni.skip or no C compiler)");
        assertEquals(jna(LibC.close(-1)), LinuxJni.close(-1));
        assertEquals(jna(LibC.read(-1, addr, 8)), LinuxJni.read(-1, addr, 8));
        int efd = eventfd(0);
        try {
            assertEquals(jna(LibC.accept4(efd, 0, 0, 0)), LinuxJni.accept4(efd, 0, 0, 0));
            assertEquals(jna(LibC.read(efd, addr, 8)), LinuxJni.read(efd, addr, 8));
            buf.setLong(0, 1);
            assertEquals(LibC.write(efd, addr, 8), LinuxJni.write(efd, addr, 8));
        } finally {
            Syscalls.close(efd);
        }
    }

    private static int eventfd(int initial) {
        int efd = LibC.eventfd(initial, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        assertTrue(efd >= 0, "eventfd");
        return efd;
    }

    private static long jna(long result) {
        return result < 0 ? -Native.getLastError() : result;
    }

    private static int jna(int result) {
        return result < 0 ? -Native.getLastError() : result;
    }
}

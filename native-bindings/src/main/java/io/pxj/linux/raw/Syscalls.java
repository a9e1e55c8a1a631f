package io.pxj.linux.raw;

import com.sun.jna.Native;

/**
 * The epoll transport's per-connection system calls with one error convention: the result, or {@code -errno} on
 * failure. Goes through JNI ({@link LinuxJni}) when its library loaded, else through JNA's {@link LibC} with
 * {@code errno} read right after the call. The choice is made once, at class initialisation, so the JIT folds it.
 *
 * <p>Raw and unchecked; stateless, thread-safe.
 */
public final class Syscalls {
    private static final boolean JNI = LinuxJni.UNAVAILABILITY_CAUSE == null;

    private Syscalls() {
    }

    /** True when the calls go through the JNI library, false when through JNA. */
    public static boolean usesJni() {
        return JNI;
    }

    /** Why the JNI library is not used; null when it is. */
    public static Throwable jniUnavailabilityCause() {
        return LinuxJni.UNAVAILABILITY_CAUSE;
    }

    public static int accept4(int sockfd, long addr, long addrlen, int flags) {
        return JNI ? LinuxJni.accept4(sockfd, addr, addrlen, flags)
                : orErrno(LibC.accept4(sockfd, addr, addrlen, flags));
    }

    public static long read(int fd, long buf, long count) {
        return JNI ? LinuxJni.read(fd, buf, count) : orErrno(LibC.read(fd, buf, count));
    }

    public static long write(int fd, long buf, long count) {
        return JNI ? LinuxJni.write(fd, buf, count) : orErrno(LibC.write(fd, buf, count));
    }

    public static long writev(int fd, long iov, int iovcnt) {
        return JNI ? LinuxJni.writev(fd, iov, iovcnt) : orErrno(LibC.writev(fd, iov, iovcnt));
    }

    public static long sendfile(int outFd, int inFd, long offset, long count) {
        return JNI ? LinuxJni.sendfile(outFd, inFd, offset, count)
                : orErrno(LibC.sendfile(outFd, inFd, offset, count));
    }

    public static int close(int fd) {
        return JNI ? LinuxJni.close(fd) : orErrno(LibC.close(fd));
    }

    public static int epoll_ctl(int epfd, int op, int fd, long event) {
        return JNI ? LinuxJni.epoll_ctl(epfd, op, fd, event) : orErrno(LibC.epoll_ctl(epfd, op, fd, event));
    }

    public static int epoll_wait(int epfd, long events, int maxevents, int timeout) {
        return JNI ? LinuxJni.epoll_wait(epfd, events, maxevents, timeout)
                : orErrno(LibC.epoll_wait(epfd, events, maxevents, timeout));
    }

    private static int orErrno(int result) {
        return result < 0 ? -Native.getLastError() : result;
    }

    private static long orErrno(long result) {
        return result < 0 ? -Native.getLastError() : result;
    }
}

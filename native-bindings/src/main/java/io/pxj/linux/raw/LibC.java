package io.pxj.linux.raw;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Direct-mapped libc functions for the Linux epoll transport, primitive parameters only: pointers are
 * {@code long} addresses, {@code size_t}/{@code ssize_t}/{@code off_t} are {@code long} (64-bit Linux only).
 * Errors: the call returns -1 and {@code Native.getLastError()} right after it is {@code errno}.
 *
 * <p>Raw and unchecked. Class initialisation registers libc and throws on anything but 64-bit Linux.
 */
public final class LibC {
    static {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            throw new UnsupportedOperationException("libc bindings need 64-bit Linux; this is " + Platform.getOSType()
                    + "/" + Platform.ARCH);
        }
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    public static native int epoll_create1(int flags);

    /** {@code event}: address of one {@code struct epoll_event}; may be 0 for EPOLL_CTL_DEL. */
    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    public static native int epoll_wait(int epfd, long events, int maxevents, int timeout);

    public static native int eventfd(int initval, int flags);

    public static native int socket(int domain, int type, int protocol);

    public static native int setsockopt(int sockfd, int level, int optname, long optval, int optlen);

    /** {@code optlen}: address of a socklen_t, in/out. */
    public static native int getsockopt(int sockfd, int level, int optname, long optval, long optlen);

    public static native int bind(int sockfd, long addr, int addrlen);

    public static native int listen(int sockfd, int backlog);

    /** {@code addr}/{@code addrlen} may both be 0. */
    public static native int accept4(int sockfd, long addr, long addrlen, int flags);

    public static native int connect(int sockfd, long addr, int addrlen);

    public static native int getsockname(int sockfd, long addr, long addrlen);

    public static native int getpeername(int sockfd, long addr, long addrlen);

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    /** {@code iov}: address of {@code iovcnt} {@code struct iovec}s (16 bytes each: base, length). */
    public static native long writev(int fd, long iov, int iovcnt);

    /** {@code offset}: address of an off_t, advanced by the bytes sent. */
    public static native long sendfile(int outFd, int inFd, long offset, long count);

    public static native int shutdown(int sockfd, int how);

    public static native int close(int fd);

    /** {@code pathname}: NUL-terminated bytes in the file-system encoding. */
    public static native int open(byte[] pathname, int flags);

    public static native String strerror(int errnum);
}

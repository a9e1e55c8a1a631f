package io.pxj.linux.raw;

/**
 * The Linux ABI values the epoll transport uses: identical on x86-64 and AArch64 (the asm-generic values), except
 * {@code struct epoll_event}, which x86-64 packs to 12 bytes and AArch64 pads to 16.
 */
public final class LinuxConstants {
    private LinuxConstants() {
    }

    // <sys/epoll.h>
    public static final int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
            EPOLLRDHUP = 0x2000;
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 02000000;

    // <sys/eventfd.h>
    public static final int EFD_NONBLOCK = 04000, EFD_CLOEXEC = 02000000;

    // <sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>
    public static final int AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_STREAM = 1, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ERROR = 4, SO_LINGER = 13;
    public static final int IPPROTO_TCP = 6, TCP_NODELAY = 1, TCP_DEFER_ACCEPT = 9;
    public static final int IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    public static final int SHUT_WR = 1;

    // <fcntl.h>
    public static final int O_RDONLY = 0, O_CLOEXEC = 02000000;

    // <errno.h>
    public static final int EINTR = 4, EBADF = 9, EAGAIN = 11, EPIPE = 32, ECONNRESET = 104, EINPROGRESS = 115;

    /** sizeof(struct sockaddr_in), sizeof(struct sockaddr_in6), sizeof(struct sockaddr_storage). */
    public static final int SOCKADDR_IN_SIZE = 16, SOCKADDR_IN6_SIZE = 28, SOCKADDR_STORAGE_SIZE = 128;

    /** sizeof(struct iovec). */
    public static final int IOVEC_SIZE = 16;

    /** sizeof(struct linger): two ints. */
    public static final int LINGER_SIZE = 8;
}

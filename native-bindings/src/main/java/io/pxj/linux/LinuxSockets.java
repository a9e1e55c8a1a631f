package io.pxj.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.pxj.linux.raw.LibC;
import io.pxj.linux.raw.LinuxConstants;
import io.pxj.linux.raw.Syscalls;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * Non-blocking TCP socket calls on raw descriptors, with the scratch memory they need (socket addresses, option
 * values, an iovec array) owned by this object, so the calls allocate nothing.
 *
 * <p>Return conventions follow {@link java.nio.channels.SocketChannel}: {@link #read} gives the byte count, 0 when
 * it would block and -1 at end of stream; writes give the byte count, 0 when they would block; {@link #accept}
 * gives -1 when no connection is pending. Every other failure is a {@link LinuxException} naming the call.
 * Descriptors are created non-blocking and close-on-exec.
 *
 * <p>Threading: confined to one thread at a time (the scratch memory is shared by every call). Descriptors
 * themselves are plain ints: the caller owns them and closes each once.
 */
public final class LinuxSockets implements AutoCloseable {
    /** How many buffers one {@link #writev} can gather (Linux's IOV_MAX). */
    public static final int IOV_MAX = 1024;

    private static final int ADDR = 0;                       // sockaddr_storage
    private static final int ADDR_LEN = 128;                 // socklen_t
    private static final int OPT = 136;                      // int or struct linger
    private static final int OPT_LEN = 144;                  // socklen_t
    private static final int OFFSET = 152;                   // off_t for sendfile
    private static final int SCRATCH = 160;

    private final Memory scratch = new Memory(SCRATCH);
    private final long base = Pointer.nativeValue(scratch);
    private final ByteBuffer view = scratch.getByteBuffer(0, SCRATCH).order(ByteOrder.nativeOrder());
    private final Memory iov = new Memory((long) IOV_MAX * LinuxConstants.IOVEC_SIZE);
    private final long iovBase = Pointer.nativeValue(iov);
    private final ByteBuffer iovView = iov.getByteBuffer(0, iov.size()).order(ByteOrder.nativeOrder());
    private boolean closed;

    public LinuxSockets() {
        Linux.ensureAvailable();
    }

    // ------------------------------------------------------------------ set-up

    /**
     * A listening socket bound to {@code address}: SO_REUSEADDR on; an IPv6 address gets IPV6_V6ONLY as asked; the
     * IPv4 wildcard listens dual-stack on {@code [::]} where IPv6 exists, as the JDK's channels do.
     *
     * @return the listening descriptor
     */
    public int listen(InetSocketAddress address, int backlog, boolean ipv6Only) throws LinuxException {
        InetAddress a = address.getAddress();
        boolean dualStack = a instanceof Inet4Address && a.isAnyLocalAddress();
        int fd = -1;
        boolean v6 = a instanceof Inet6Address || dualStack;
        if (v6) {
            fd = LibC.socket(LinuxConstants.AF_INET6, streamType(), 0);
            if (fd < 0 && !dualStack) {
                throw new LinuxException("socket(AF_INET6)", Native.getLastError());
            }
            v6 = fd >= 0;
        }
        if (fd < 0) {
            fd = LibC.socket(LinuxConstants.AF_INET, streamType(), 0);
            if (fd < 0) {
                throw new LinuxException("socket(AF_INET)", Native.getLastError());
            }
        }
        try {
            setInt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)");
            if (v6) {
                setInt(fd, LinuxConstants.IPPROTO_IPV6, LinuxConstants.IPV6_V6ONLY, ipv6Only && !dualStack ? 1 : 0,
                        "setsockopt(IPV6_V6ONLY)");
            }
            int len = v6 ? encode6(dualStack ? null : a, address.getPort()) : encode4(a, address.getPort());
            if (LibC.bind(fd, base + ADDR, len) < 0) {
                throw new LinuxException("bind(" + address + ")", Native.getLastError());
            }
            if (LibC.listen(fd, backlog) < 0) {
                throw new LinuxException("listen", Native.getLastError());
            }
            return fd;
        } catch (LinuxException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /** A new non-blocking stream socket of the address family of {@code remote}. */
    public int socketFor(InetSocketAddress remote) throws LinuxException {
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        int fd = LibC.socket(v6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET, streamType(), 0);
        if (fd < 0) {
            throw new LinuxException(v6 ? "socket(AF_INET6)" : "socket(AF_INET)", Native.getLastError());
        }
        return fd;
    }

    /** Starts a connect: true if it completed at once, false if in progress (wait for {@code OUT}). */
    public boolean connect(int fd, InetSocketAddress remote) throws LinuxException {
        InetAddress a = remote.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved address " + remote);
        }
        int len = a instanceof Inet6Address ? encode6(a, remote.getPort()) : encode4(a, remote.getPort());
        if (LibC.connect(fd, base + ADDR, len) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == LinuxConstants.EINPROGRESS || errno == LinuxConstants.EINTR) {
            return false;
        }
        throw new LinuxException("connect(" + remote + ")", errno);
    }

    /** The socket's pending error (SO_ERROR), cleared by reading it: 0 when a connect succeeded. */
    public int pendingError(int fd) throws LinuxException {
        view.putInt(OPT_LEN, 4);
        if (LibC.getsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_ERROR, base + OPT, base + OPT_LEN) < 0) {
            throw new LinuxException("getsockopt(SO_ERROR)", Native.getLastError());
        }
        return view.getInt(OPT);
    }

    /** Throws the {@link LinuxException} a failed connect left in SO_ERROR, naming {@code connect}. */
    public void finishConnect(int fd, InetSocketAddress remote) throws LinuxException {
        int err = pendingError(fd);
        if (err != 0) {
            throw new LinuxException("connect(" + remote + ")", err);
        }
    }

    private static int streamType() {
        return LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC;
    }

    // ------------------------------------------------------------------ per connection

    /**
     * Accepts one pending connection (non-blocking, close-on-exec); its peer address is then
     * {@link #acceptedPeer()}.
     *
     * @return the new descriptor, or -1 if none is pending
     */
    public int accept(int listenFd) throws LinuxException {
        while (true) {
            view.putInt(ADDR_LEN, LinuxConstants.SOCKADDR_STORAGE_SIZE);
            int fd = Syscalls.accept4(listenFd, base + ADDR, base + ADDR_LEN,
                    LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
            int errno = -fd;
            if (errno == LinuxConstants.EAGAIN) {
                return -1;
            }
            // A connection reset while queued, or a signal: try the next one (what accept(2) advises).
            if (errno != LinuxConstants.EINTR && errno != 103 /* ECONNABORTED */) {
                throw new LinuxException("accept4", errno);
            }
        }
    }

    /** The peer address the last {@link #accept} returned. */
    public InetSocketAddress acceptedPeer() {
        return decode();
    }

    /** The socket's local address (getsockname). */
    public InetSocketAddress localAddress(int fd) throws LinuxException {
        view.putInt(ADDR_LEN, LinuxConstants.SOCKADDR_STORAGE_SIZE);
        if (LibC.getsockname(fd, base + ADDR, base + ADDR_LEN) < 0) {
            throw new LinuxException("getsockname", Native.getLastError());
        }
        return decode();
    }

    /** The socket's peer address (getpeername). */
    public InetSocketAddress peerAddress(int fd) throws LinuxException {
        view.putInt(ADDR_LEN, LinuxConstants.SOCKADDR_STORAGE_SIZE);
        if (LibC.getpeername(fd, base + ADDR, base + ADDR_LEN) < 0) {
            throw new LinuxException("getpeername", Native.getLastError());
        }
        return decode();
    }

    /** Reads into {@code length} bytes at {@code address}: the count, 0 if it would block, -1 at end of stream. */
    public int read(int fd, long address, int length) throws LinuxException {
        while (true) {
            long n = Syscalls.read(fd, address, length);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                return length == 0 ? 0 : -1;
            }
            if (!retry("read", n)) {
                return 0;
            }
        }
    }

    /** Writes {@code length} bytes from {@code address}: the count written, 0 if it would block. */
    public int write(int fd, long address, int length) throws LinuxException {
        while (true) {
            long n = Syscalls.write(fd, address, length);
            if (n >= 0 || !retry("write", n)) {
                return (int) Math.max(n, 0);
            }
        }
    }

    /** Sets iovec {@code i} of the next {@link #writev} to {@code length} bytes at {@code address}. */
    public void iovec(int i, long address, long length) {
        if (i < 0 || i >= IOV_MAX) {
            throw new IndexOutOfBoundsException("iovec " + i + " of " + IOV_MAX);
        }
        iovView.putLong(i * LinuxConstants.IOVEC_SIZE, address);
        iovView.putLong(i * LinuxConstants.IOVEC_SIZE + 8, length);
    }

    /** Gathers the first {@code count} iovecs set by {@link #iovec}: the count written, 0 if it would block. */
    public long writev(int fd, int count) throws LinuxException {
        if (count < 1 || count > IOV_MAX) {
            throw new IllegalArgumentException("iovec count must be 1.." + IOV_MAX + ": " + count);
        }
        while (true) {
            long n = Syscalls.writev(fd, iovBase, count);
            if (n >= 0 || !retry("writev", n)) {
                return Math.max(n, 0);
            }
        }
    }

    /**
     * Sends up to {@code count} bytes of {@code fileFd} from {@code position} to socket {@code fd} (sendfile):
     * the count sent, 0 if it would block.
     */
    public long sendfile(int fd, int fileFd, long position, long count) throws LinuxException {
        while (true) {
            view.putLong(OFFSET, position);
            long n = Syscalls.sendfile(fd, fileFd, base + OFFSET, count);
            if (n >= 0 || !retry("sendfile", n)) {
                return Math.max(n, 0);
            }
        }
    }

    /** Opens {@code path} read-only (close-on-exec), for {@link #sendfile}. */
    public int openForReading(Path path) throws LinuxException {
        byte[] name = path.toString().getBytes(Charset.defaultCharset());
        byte[] z = new byte[name.length + 1];
        System.arraycopy(name, 0, z, 0, name.length);
        int fd = LibC.open(z, LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
        if (fd < 0) {
            throw new LinuxException("open(" + path + ")", Native.getLastError());
        }
        return fd;
    }

    /** Sends FIN after what is queued: shutdown(SHUT_WR). */
    public void shutdownOutput(int fd) throws LinuxException {
        if (LibC.shutdown(fd, LinuxConstants.SHUT_WR) < 0) {
            throw new LinuxException("shutdown(SHUT_WR)", Native.getLastError());
        }
    }

    /** TCP_NODELAY on or off. */
    public void setNoDelay(int fd, boolean on) throws LinuxException {
        setInt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_NODELAY, on ? 1 : 0, "setsockopt(TCP_NODELAY)");
    }

    /**
     * TCP_DEFER_ACCEPT on a listening socket: a connection becomes acceptable only once its first bytes have arrived,
     * or after about {@code seconds} (then it is accepted anyway: the kernel keeps no client waiting forever).
     * For protocols whose client speaks first; 0 turns it off.
     */
    public void setDeferAccept(int listenFd, int seconds) throws LinuxException {
        setInt(listenFd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_DEFER_ACCEPT, seconds,
                "setsockopt(TCP_DEFER_ACCEPT)");
    }

    /** The TCP_DEFER_ACCEPT value in effect (the kernel rounds it to its SYN-ACK retransmission schedule). */
    public int deferAccept(int listenFd) throws LinuxException {
        return getInt(listenFd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_DEFER_ACCEPT,
                "getsockopt(TCP_DEFER_ACCEPT)");
    }

    /** Whether TCP_NODELAY is on. */
    public boolean noDelay(int fd) throws LinuxException {
        return getInt(fd, LinuxConstants.IPPROTO_TCP, LinuxConstants.TCP_NODELAY, "getsockopt(TCP_NODELAY)") != 0;
    }

    /** SO_LINGER on with a zero timeout: the next close resets the connection (RST) instead of a FIN. */
    public void setLingerZero(int fd) throws LinuxException {
        view.putInt(OPT, 1);
        view.putInt(OPT + 4, 0);
        if (LibC.setsockopt(fd, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_LINGER, base + OPT,
                LinuxConstants.LINGER_SIZE) < 0) {
            throw new LinuxException("setsockopt(SO_LINGER)", Native.getLastError());
        }
    }

    /** Closes a descriptor. An EINTR still closed it (Linux), so only other errors are reported. */
    public void close(int fd) throws LinuxException {
        int r = Syscalls.close(fd);
        if (r < 0) {
            int errno = -r;
            if (errno != LinuxConstants.EINTR) {
                throw new LinuxException("close", errno);
            }
        }
    }

    /**
     * After a call of a read/write family failed with {@code -errno} ({@code result}): true to retry it (EINTR),
     * false when it would block (EAGAIN); any other errno is thrown naming {@code call}.
     */
    private static boolean retry(String call, long result) throws LinuxException {
        int errno = (int) -result;
        if (errno == LinuxConstants.EINTR) {
            return true;
        }
        if (errno == LinuxConstants.EAGAIN) {
            return false;
        }
        throw new LinuxException(call, errno);
    }

    private int getInt(int fd, int level, int option, String call) throws LinuxException {
        view.putInt(OPT_LEN, 4);
        if (LibC.getsockopt(fd, level, option, base + OPT, base + OPT_LEN) < 0) {
            throw new LinuxException(call, Native.getLastError());
        }
        return view.getInt(OPT);
    }

    private void setInt(int fd, int level, int option, int value, String call) throws LinuxException {
        view.putInt(OPT, value);
        if (LibC.setsockopt(fd, level, option, base + OPT, 4) < 0) {
            throw new LinuxException(call, Native.getLastError());
        }
    }

    // ------------------------------------------------------------------ socket addresses

    private int encode4(InetAddress a, int port) {
        for (int i = 0; i < LinuxConstants.SOCKADDR_IN_SIZE; i++) {
            view.put(ADDR + i, (byte) 0);
        }
        view.putShort(ADDR, (short) LinuxConstants.AF_INET);
        view.put(ADDR + 2, (byte) (port >>> 8)).put(ADDR + 3, (byte) port);
        byte[] b = a.getAddress();
        for (int i = 0; i < 4; i++) {
            view.put(ADDR + 4 + i, b[i]);
        }
        return LinuxConstants.SOCKADDR_IN_SIZE;
    }

    /** {@code a} null: the IPv6 wildcard. */
    private int encode6(InetAddress a, int port) {
        for (int i = 0; i < LinuxConstants.SOCKADDR_IN6_SIZE; i++) {
            view.put(ADDR + i, (byte) 0);
        }
        view.putShort(ADDR, (short) LinuxConstants.AF_INET6);
        view.put(ADDR + 2, (byte) (port >>> 8)).put(ADDR + 3, (byte) port);
        if (a != null) {
            byte[] b = a.getAddress();
            if (b.length == 4) { // an IPv4 address on a v6 socket: v4-mapped
                view.put(ADDR + 8 + 10, (byte) 0xff).put(ADDR + 8 + 11, (byte) 0xff);
                for (int i = 0; i < 4; i++) {
                    view.put(ADDR + 8 + 12 + i, b[i]);
                }
            } else {
                for (int i = 0; i < 16; i++) {
                    view.put(ADDR + 8 + i, b[i]);
                }
                if (a instanceof Inet6Address v6) {
                    view.putInt(ADDR + 24, v6.getScopeId());
                }
            }
        }
        return LinuxConstants.SOCKADDR_IN6_SIZE;
    }

    private InetSocketAddress decode() {
        int family = view.getShort(ADDR) & 0xffff;
        int port = ((view.get(ADDR + 2) & 0xff) << 8) | (view.get(ADDR + 3) & 0xff);
        byte[] b;
        int scope = 0;
        if (family == LinuxConstants.AF_INET) {
            b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = view.get(ADDR + 4 + i);
            }
        } else if (family == LinuxConstants.AF_INET6) {
            b = new byte[16];
            for (int i = 0; i < 16; i++) {
                b[i] = view.get(ADDR + 8 + i);
            }
            scope = view.getInt(ADDR + 24);
        } else {
            throw new IllegalStateException("not an IP socket address: family " + family);
        }
        try {
            // getByAddress turns a v4-mapped IPv6 address into an Inet4Address, as the JDK's accept does.
            InetAddress a = InetAddress.getByAddress(b);
            if (scope != 0 && a instanceof Inet6Address) {
                a = Inet6Address.getByAddress(null, b, scope);
            }
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad address length " + b.length, e); // cannot happen: 4 or 16
        }
    }

    /** Frees the scratch memory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scratch.close();
        iov.close();
    }
}

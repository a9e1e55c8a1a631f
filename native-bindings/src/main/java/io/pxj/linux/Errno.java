package io.pxj.linux;

import io.pxj.linux.raw.LibC;
import java.util.Map;

/** Names and messages of the errno values a socket transport meets. Stateless; thread-safe. */
final class Errno {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(5, "EIO"),
            Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"),
            Map.entry(14, "EFAULT"), Map.entry(17, "EEXIST"), Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"),
            Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(32, "EPIPE"), Map.entry(88, "ENOTSOCK"),
            Map.entry(97, "EAFNOSUPPORT"), Map.entry(98, "EADDRINUSE"), Map.entry(99, "EADDRNOTAVAIL"),
            Map.entry(101, "ENETUNREACH"), Map.entry(103, "ECONNABORTED"), Map.entry(104, "ECONNRESET"),
            Map.entry(105, "ENOBUFS"), Map.entry(106, "EISCONN"), Map.entry(107, "ENOTCONN"),
            Map.entry(110, "ETIMEDOUT"), Map.entry(111, "ECONNREFUSED"), Map.entry(113, "EHOSTUNREACH"),
            Map.entry(114, "EALREADY"), Map.entry(115, "EINPROGRESS"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.get(errno);
    }

    static String describeFailure(String function, int errno) {
        StringBuilder sb = new StringBuilder(function).append(" failed: ").append(errno);
        String name = name(errno);
        if (name != null) {
            sb.append(' ').append(name);
        }
        String message = message(errno);
        if (message != null) {
            sb.append(" (").append(message).append(')');
        }
        return sb.toString();
    }

    private static String message(int errno) {
        if (!Linux.isAvailable()) {
            return null;
        }
        try {
            return LibC.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}

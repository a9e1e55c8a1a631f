package io.pxj.linux;

import java.io.IOException;

/**
 * A failed libc call: names the function, {@code errno}, its symbolic name when known and the system message, e.g.
 * {@code accept4 failed: 24 EMFILE (Too many open files)}.
 *
 * <p>Checked ({@link IOException}) like the JDK's own channel errors. The normal outcomes of non-blocking calls
 * (would block, end of stream) are return values, not exceptions. Immutable and thread-safe.
 */
public final class LinuxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int errno;

    public LinuxException(String function, int errno) {
        super(Errno.describeFailure(function, errno));
        this.function = function;
        this.errno = errno;
    }

    /** The libc function that failed, e.g. {@code "epoll_ctl"}. */
    public String function() {
        return function;
    }

    /** The {@code errno} value the call left. */
    public int errno() {
        return errno;
    }

    /** The symbolic name of {@link #errno()}, e.g. {@code "ECONNRESET"}, or null if not in the table. */
    public String errorName() {
        return Errno.name(errno);
    }
}

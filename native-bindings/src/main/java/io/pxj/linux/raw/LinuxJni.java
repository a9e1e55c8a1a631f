package io.pxj.linux.raw;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JNI entry points for the per-connection calls of the epoll transport ({@code src/main/c/pxj_linux.c}, built by
 * this module's pom on Linux and packed as {@code META-INF/native/libpxj-linux-<arch>.so}). Each returns the
 * system call's result or {@code -errno}. Use through {@link Syscalls}, which falls back to JNA when the library
 * is absent (a build without a C compiler) or refused ({@code -Dpxj.linux.jni=false}, a {@code noexec} temp dir).
 *
 * <p>Raw and unchecked; stateless, thread-safe.
 */
final class LinuxJni {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxJni.class);
    /** The library's ABI version this class expects (pxj_linux.c's {@code abiVersion}). */
    private static final int ABI_VERSION = 1;
    /** Null when loaded; else why not. */
    static final Throwable UNAVAILABILITY_CAUSE = load();

    private LinuxJni() {
    }

    private static Throwable load() {
        Throwable cause = tryLoad();
        if (cause != null) {
            // The epoll transport still works, through JNA; the nio backend becomes the default (see Linux.usesJni).
            LOG.info("Linux JNI library not used ({}): the epoll transport's calls go through JNA", cause.toString());
        }
        return cause;
    }

    private static Throwable tryLoad() {
        if (!Boolean.parseBoolean(System.getProperty("pxj.linux.jni", "true"))) {
            return new UnsupportedOperationException("turned off by -Dpxj.linux.jni=false");
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String resource = "/META-INF/native/libpxj-linux-" + arch + ".so";
        try (InputStream in = LinuxJni.class.getResourceAsStream(resource)) {
            if (in == null) {
                return new UnsupportedOperationException(resource + " is not in the jar (built without a C compiler?)");
            }
            // dlopen needs a file; it stays mapped after the file is deleted.
            Path file = Files.createTempFile("pxj-linux-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file);
            }
            int abi = abiVersion();
            if (abi != ABI_VERSION) {
                return new UnsatisfiedLinkError(resource + " has ABI version " + abi + ", expected " + ABI_VERSION);
            }
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            // Anything (a bad java.io.tmpdir, a noexec mount, a foreign libc): JNA remains, class init must not fail.
            return e;
        }
    }

    static native int abiVersion();

    static native int accept4(int sockfd, long addr, long addrlen, int flags);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native long writev(int fd, long iov, int iovcnt);

    static native long sendfile(int outFd, int inFd, long offset, long count);

    static native int close(int fd);

    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxevents, int timeout);
}

package io.pxj.runtime;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A zero-copy file send, optionally framed by bytes before and after it (PyParallel's
 * {@code sendfile(before, path, after)}; TransmitFile's head and tail buffers on Windows). Return it from a
 * protocol callback or pass it to {@link Transport#write(Object)}.
 *
 * @param head   bytes sent before the file, or null
 * @param path   the file
 * @param offset first byte of the file to send
 * @param length number of bytes of the file to send
 * @param tail   bytes sent after the file, or null
 */
public record FileRegion(ByteBuffer head, Path path, long offset, long length, ByteBuffer tail) {
    public FileRegion {
        Objects.requireNonNull(path, "path");
        if (offset < 0) { throw new IllegalArgumentException("offset < 0: " + offset); }
        if (length < 0) { throw new IllegalArgumentException("length < 0: " + length); }
    }

    public static FileRegion of(Path path, long offset, long length) {
        return new FileRegion(null, path, offset, length, null);
    }
}

package io.pxj.runtime;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One connection as its protocol sees it.
 *
 * <p>Threading: every method may be called from any thread. Calls made from the connection's own callbacks
 * run inline; calls from other threads are handed to the connection's owner and run in order. Sends are
 * performed in the order they were requested; a callback's return value is sent after the writes it made.
 */
public interface Transport {
    /** Runtime-unique connection id (also in log lines and errors). */
    long id();

    /** True for connections made with {@link Px#client}. */
    boolean isClient();

    /**
     * Queues {@code data} for sending; accepts the same types a callback may return (see {@link Protocol}).
     * Arena-backed data keeps its context from rolling back until the send completes.
     */
    void write(Object data);

    /** Sends the remaining bytes of all {@code buffers} as one gathered send. */
    void write(ByteBuffer... buffers);

    /** Sends {@code length} bytes of {@code path} from {@code offset} without copying through the heap. */
    void writeFile(Path path, long offset, long length);

    /** Graceful close: pending sends finish, then the connection closes. Idempotent. */
    void close();

    /** Abortive close: pending sends are dropped and the connection is reset. Idempotent. */
    void abort();

    /** Half-close: sends a FIN after pending sends; receiving continues. */
    void shutdownOutput();

    boolean isOpen();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    long bytesReceived();

    long bytesSent();

    /** Sends completed so far (the last {@code sendId} passed to sendComplete). */
    long sendsCompleted();

    /** Bytes queued but not yet sent. */
    long pendingSendBytes();

    /** Time since the connection was made (PyParallel's elapsed()). */
    Duration elapsed();
}

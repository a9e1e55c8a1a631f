package io.pxj.runtime.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A backend's side of one connection: the I/O operations the core asks for. At most one read and at most one
 * send are outstanding at a time (the core queues the rest). Each completes by exactly one call on the
 * connection's {@link ConnectionHandler}.
 *
 * <p>Buffers: every ByteBuffer passed here is direct and the core does not touch it until the matching
 * completion; the backend may hand its address to the kernel.
 *
 * <p>Threading: the core calls these methods only while it is handling an event of this connection (inside a
 * handler method) or from a task run with {@link #execute}. {@link #execute} itself is thread-safe.
 */
public interface Channel {
    /** Runtime-unique id (the same as the handler's transport id). */
    long id();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /**
     * Reads once into {@code buffer} (position..limit); completes with {@link ConnectionHandler#received},
     * {@link ConnectionHandler#inputClosed} or {@link ConnectionHandler#failed}.
     */
    void read(ByteBuffer buffer);

    /**
     * Sends the remaining bytes of {@code buffers[offset .. offset+count)} as one gathered send (the backend
     * loops over partial writes); completes with {@link ConnectionHandler#sendCompleted} once all are sent.
     */
    void send(ByteBuffer[] buffers, int offset, int count);

    /**
     * Sends head (nullable), then {@code length} bytes of {@code file} from {@code offset}, then tail (nullable),
     * zero-copy where possible; completes with {@link ConnectionHandler#sendCompleted}.
     */
    void sendFile(ByteBuffer head, Path file, long offset, long length, ByteBuffer tail);

    /** Half-close after the outstanding send. */
    void shutdownOutput();

    /**
     * Closes the socket: graceful ({@code abortive == false}) after the outstanding send, or at once with a reset.
     * Outstanding operations complete (as failures) or are dropped; then {@link ConnectionHandler#closed()} is
     * called exactly once. Idempotent.
     */
    void close(boolean abortive);

    /** Runs {@code task} serially with this connection's events (on its owner thread / under its lock). */
    void execute(Runnable task);

    /** Runs {@code task} like {@link #execute} after {@code delayNanos}. */
    Cancellable schedule(Runnable task, long delayNanos);

    /**
     * Called by the core once, in {@link ConnectionHandler#opened}, before any read or send: the backend applies
     * what it supports of the connection's options (at least {@code tcpNoDelay}; its own mapping of
     * {@code ioMode}). The default ignores them, leaving the backend's defaults (TCP_NODELAY on).
     */
    default void options(io.pxj.runtime.ProtocolOptions options) {}
}

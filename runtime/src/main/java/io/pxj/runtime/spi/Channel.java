package io.pxj.runtime.spi;

import io.pxj.runtime.Cancellable;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A backend's side of one connection: the I/O operations the core asks for. At most one read and at most one
 * send are outstanding at a time (the core queues the rest). Each completes by exactly one call on the
 * connection's {@link ConnectionHandler}.
 *
 * <h2>What the core relies on (read this when writing a backend)</h2>
 * <ul>
 *   <li><b>No re-entrant completions.</b> The core calls {@link #read}, {@link #send}, {@link #close} ... from
 *       inside handler methods. A backend must not call the handler from inside these methods (e.g. when an
 *       operation completes synchronously): record the outcome and deliver it after the current handler method
 *       (or {@link #execute} task) returns. The nio backend does this with a per-channel trampoline.</li>
 *   <li><b>Whole sends.</b> {@link ConnectionHandler#sendCompleted} comes once per send, after every byte is
 *       written (the backend loops over partial writes), with the total byte count.</li>
 *   <li><b>Buffer lifetime.</b> The core returns the receive buffer and its staging buffers to shared pools in
 *       {@link ConnectionHandler#closed()}. So {@code closed()} must come only after the kernel is done with
 *       every buffer of this connection (on Windows: after cancelled overlapped operations have completed).</li>
 *   <li><b>Close with operations outstanding.</b> After {@link #close}, outstanding operations may complete as
 *       {@link ConnectionHandler#failed} (ignored by the core once it asked for the close) or be dropped; no
 *       {@code received}/{@code sendCompleted} is expected after an abortive close. A graceful close waits for
 *       the outstanding send. Then {@code closed()} exactly once.</li>
 *   <li><b>Failures.</b> After {@link ConnectionHandler#failed} the core calls {@code close(true)}; the backend
 *       must still report {@code closed()} afterwards.</li>
 *   <li><b>Tasks after close.</b> {@link #execute}/{@link #schedule} tasks submitted around the close may run
 *       after {@code closed()} or be dropped; the core tolerates both.</li>
 *   <li><b>Ids.</b> {@link #id()} becomes the connection's {@code Transport.id()}: unique per runtime.</li>
 * </ul>
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
     *
     * <p>{@code buffer == null} asks for a lean read: the connection holds no receive memory while it waits. The
     * backend waits for data without a buffer (nio: readiness; windows: a zero-byte receive) and, when bytes are
     * there, gets the buffer from {@link ConnectionHandler#receiveBuffer()} just before it reads, then completes
     * as above. Once it got that buffer, the read owns it like one passed here (also if the read then finds no
     * bytes after all).
     */
    void read(ByteBuffer buffer);

    /** The most buffers one {@link #send} carries: the core never gathers more, so a backend may size for it. */
    int MAX_GATHER = 64;

    /**
     * Sends the remaining bytes of {@code buffers[offset .. offset+count)} ({@code count <= MAX_GATHER}) as one
     * gathered send (the backend loops over partial writes); completes with {@link ConnectionHandler#sendCompleted}
     * once all are sent.
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

    /** The TLS session when this channel is a TLS layer ({@link io.pxj.runtime.tls.TlsLayer}), else null. */
    default io.pxj.runtime.tls.TlsInfo tls() {
        return null;
    }
}

package io.pxj.runtime;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection's behaviour, PyParallel style: one instance per connection (created by a {@link ProtocolFactory}),
 * every method optional, every method called in the connection's {@link ParallelContext} on a pool thread.
 *
 * <h2>What a callback may return ("the return value is the response")</h2>
 * {@code initialBytesToSend}, {@code dataReceived}, {@code linesReceived} and {@code sendComplete} may return
 * something to send: {@code null} (nothing), {@code byte[]}, {@link ByteBuffer} (its remaining bytes; returning
 * the received buffer itself is a zero-copy echo), {@code ByteBuffer[]} (one gathered send), an
 * {@link ArenaBuffer} (its written bytes), a {@link CharSequence} (UTF-8), or a {@link FileRegion} (zero-copy
 * file send). Any other type is an error reported through {@link #exceptionCaught}. The context's arena is
 * rolled back when the callback returns, or, if it returned something to send, when that send completes.
 *
 * <h2>Threading contract</h2>
 * The runtime never calls two methods of one protocol instance concurrently, and each call happens-after the
 * previous one, so a protocol may keep per-connection state in plain fields. Different connections run in
 * parallel. A callback must not block for long (use {@link Px#submitWork} for heavy work).
 *
 * <h2>Errors</h2>
 * An exception thrown by any method is caught, counted, passed to {@link #exceptionCaught}, reported on the
 * main thread through SLF4J (naming the connection and the callback) and the connection is closed. Nothing else
 * is affected.
 */
public interface Protocol {

    /** Options for this connection; read once, before {@link #connectionMade}. */
    default ProtocolOptions options() {
        return ProtocolOptions.DEFAULT;
    }

    /** The connection is established (accepted, or connected for a client). */
    default void connectionMade(ParallelContext ctx, Transport transport) throws Exception {}

    /** What to send first, right after {@link #connectionMade} (PyParallel's initial_bytes_to_send). */
    default Object initialBytesToSend(ParallelContext ctx, Transport transport) throws Exception {
        return null;
    }

    /**
     * Bytes arrived (bytes mode). {@code data} is a view of the connection's receive buffer, valid only during
     * this call (or until the send of the returned value completes if that value is {@code data} itself).
     *
     * @return what to send (see the class comment), or null
     */
    default Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) throws Exception {
        return null;
    }

    /**
     * Complete lines arrived (lines mode, {@link ProtocolOptions#linesMode()}).
     *
     * @return what to send, or null
     */
    default Object linesReceived(ParallelContext ctx, Transport transport, Lines lines) throws Exception {
        return null;
    }

    /**
     * The send started by the previous return value (or {@link Transport#write}) completed.
     *
     * @param sendId the sequence number of the completed send on this connection (1, 2, ...)
     * @return the next thing to send (chargen-style streaming), or null
     */
    default Object sendComplete(ParallelContext ctx, Transport transport, long sendId) throws Exception {
        return null;
    }

    /**
     * A response timed with {@link Transport#timeResponse} has been handed to the kernel: the send carrying its
     * last byte completed at {@code sentNanos} (one {@code System.nanoTime()} per send completion, shared by every
     * response that send finished). For measurements: record, do not send (nothing returned is sent).
     *
     * <p>Threading: on the connection's event thread, in its context, like every other callback; responses are
     * reported in the order they were timed.
     *
     * @param startNanos what was passed to {@code timeResponse}
     * @param sentNanos  when the send completed
     * @param tag        what was passed to {@code timeResponse}
     */
    default void responseSent(ParallelContext ctx, Transport transport, long startNanos, long sentNanos, int tag)
            throws Exception {}

    /** The peer shut down its sending side (EOF). The default closes the connection once pending sends finish. */
    default void inputShutdown(ParallelContext ctx, Transport transport) throws Exception {
        transport.close();
    }

    /** The connection is closed; called exactly once per connection that was made. */
    default void connectionClosed(ParallelContext ctx, Transport transport) throws Exception {}

    /**
     * A callback of this protocol (named by {@code callback}) or the connection's I/O failed. The connection is
     * closed after this returns. Exceptions thrown from here are logged and ignored.
     */
    default void exceptionCaught(ParallelContext ctx, Transport transport, String callback, Throwable cause) {}

    /** Client only: connecting to {@code remote} failed; no other callback follows. */
    default void connectFailed(ParallelContext ctx, InetSocketAddress remote, Throwable cause) {}
}

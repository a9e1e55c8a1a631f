package io.pxj.runtime;

import io.pxj.runtime.tls.TlsInfo;
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

    /**
     * The {@code System.nanoTime()} at which the backend learned that the bytes of the running
     * {@code dataReceived} / {@code linesReceived} call were there: the selector wake-up that reported the
     * connection readable (nio; one reading per wake-up, shared by the connections it reports), or the completion of
     * the receive that delivered them (windows). Shared by everything that read delivered (pipelined requests,
     * several lines), and it includes waiting behind other connections served first on the same thread. 0 before
     * the first read.
     *
     * <p>Threading: meaningful on the connection's event thread, i.e. inside its callbacks.
     */
    long receivedNanos();

    /**
     * Asks for {@link Protocol#responseSent} once the send carrying the last byte of a response has completed
     * (the kernel has taken the byte: a write, {@code WSASend}, {@code TransmitFile} or {@code transferTo}
     * completion). The response ends {@code outputBytes} bytes into the running callback's output, counted in the
     * order it is sent: what the callback passes to {@link #write}, then what it returns. Several responses of one
     * callback (pipelining) are timed with increasing {@code outputBytes}. Responses still unsent when the
     * connection closes, or produced by a callback that throws, are never reported.
     *
     * <p>Threading: only inside {@code initialBytesToSend}, {@code dataReceived}, {@code linesReceived} or
     * {@code sendComplete} of this connection, on its event thread; elsewhere it throws
     * {@link IllegalStateException}. No allocation in steady state: a per-connection ring that grows only when
     * more responses are outstanding than ever before on the connection.
     *
     * @param outputBytes where the response ends in the callback's output (bytes, counted from 1)
     * @param startNanos  a {@code System.nanoTime()} value handed back to {@code responseSent}, typically
     *                    {@link #receivedNanos()}
     * @param tag         handed back to {@code responseSent} (e.g. a status code)
     */
    void timeResponse(long outputBytes, long startNanos, int tag);

    /**
     * The connection's TLS session (version, cipher suite, ALPN protocol, SNI server name), or null when the
     * connection is plaintext ({@link ProtocolOptions#tls()}). Available from {@link Protocol#connectionMade} on:
     * a TLS connection is made once its handshake is done.
     */
    default TlsInfo tls() {
        return null;
    }
}

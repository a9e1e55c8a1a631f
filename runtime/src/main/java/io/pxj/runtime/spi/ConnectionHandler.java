package io.pxj.runtime.spi;

import java.nio.ByteBuffer;

/**
 * The core's side of one connection: the protocol state machine. The backend reports every event here.
 *
 * <p>Threading contract (the backend's obligation): calls for one connection never overlap and each
 * happens-after the previous one (nio: the owning loop thread; windows: the completing pool thread under the
 * connection's serialisation). Handlers never throw: user exceptions are handled inside.
 */
public interface ConnectionHandler {
    /** The connection is established; the core will start its first read and any initial send. */
    void opened(Channel channel);

    /** Client only: the connect failed; nothing else follows. */
    void connectFailed(Throwable cause);

    /**
     * The outstanding read delivered {@code bytes} (> 0) into its buffer, whose position was advanced.
     * {@code readyNanos} is {@code System.nanoTime()} when the backend learned the bytes were there: the selector
     * wake-up that reported the channel readable (nio), the completion of the WSARecv that delivered them (windows).
     * Time in server is measured from it, so it includes waiting behind other work on the same thread.
     */
    void received(int bytes, long readyNanos);

    /**
     * The buffer for a lean read ({@code Channel.read(null)}): called by the backend right before it reads bytes
     * it knows (or expects) are there; the read fills it from its position. Called on the connection's event
     * thread like the other methods, but it runs no user code and causes no other call.
     *
     * @return a direct buffer, or null when no memory can be had: the backend then fails the read with
     *         {@link #failed} (an {@code IOException} naming the refusal) instead of reading
     */
    ByteBuffer receiveBuffer();

    /**
     * The lean read that just asked {@link #receiveBuffer()} found no bytes after all (nio: a first read tried
     * before readiness was reported; a spurious wake-up): the buffer is the handler's again and the read goes on
     * waiting without one. Lets a connection that has sent nothing yet hold no receive memory. Same thread and
     * rules as {@link #receiveBuffer()}.
     */
    default void receiveBufferUnused() {
    }

    /** The outstanding read saw end of stream (peer's FIN). */
    void inputClosed();

    /** The outstanding send completed; {@code bytes} were written in all. */
    void sendCompleted(long bytes);

    /** An I/O operation failed (reset, abort, ...); the core closes the channel. */
    void failed(Throwable cause);

    /** The socket is closed and no further event follows; called exactly once after {@link #opened}. */
    void closed();
}

package io.pxj.runtime.nio;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A connected TCP socket as {@link NioChannel} drives it: the JDK's {@link java.nio.channels.SocketChannel}
 * ({@link JdkSock}) or a native descriptor ({@link EpollSock}). Reads and writes follow the {@code SocketChannel}
 * conventions (0 when they would block, -1 at end of stream).
 *
 * <p>Threading: confined to the owning loop thread.
 */
abstract class Sock {
    /**
     * On the loop that will own the socket, before its channel uses it: an accepted JDK socket still has to be
     * made non-blocking; a native one takes that loop's poller.
     */
    abstract void prepare(EventLoop owner) throws IOException;

    abstract InetSocketAddress localAddress() throws IOException;

    abstract InetSocketAddress remoteAddress() throws IOException;

    abstract int read(ByteBuffer b) throws IOException;

    abstract int write(ByteBuffer b) throws IOException;

    abstract long write(ByteBuffer[] bs, int offset, int length) throws IOException;

    /** A file to send from, opened for reading; {@link SendFile#size()} is its size when opened. */
    abstract SendFile openFile(Path path) throws IOException;

    /** Sends up to {@code count} bytes of {@code file} from {@code position}: the count sent, 0 if it would block. */
    abstract long transferFile(SendFile file, long position, long count) throws IOException;

    abstract void shutdownOutput() throws IOException;

    abstract void setNoDelay(boolean on) throws IOException;

    /** TCP_NODELAY as the socket has it now (diagnostics and tests). */
    abstract boolean noDelay() throws IOException;

    /** SO_LINGER 0: the close that follows resets the connection. */
    abstract void setLingerZero() throws IOException;

    /**
     * Sets the readiness the channel waits for ({@code SelectionKey.OP_READ}/{@code OP_WRITE}, possibly 0); the
     * first call joins the loop's poller, reporting to {@code channel}.
     */
    abstract void interest(int ops, NioChannel channel) throws IOException;

    /** Whether the socket has joined the loop's poller. */
    abstract boolean registered();

    /** Closes the socket (a JDK socket still registered is closed by {@code loop} after its next poll). */
    abstract void close(EventLoop loop);

    /** An open file a send reads from. */
    abstract static class SendFile implements Closeable {
        abstract long size() throws IOException;
    }
}

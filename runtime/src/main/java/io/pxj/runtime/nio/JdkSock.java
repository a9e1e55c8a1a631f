package io.pxj.runtime.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sock} on the JDK's {@link SocketChannel}; it joins the loop's {@link java.nio.channels.Selector} at
 * the first {@link #interest} call. Threading: confined to the owning loop thread.
 */
final class JdkSock extends Sock {
    private static final Logger LOG = LoggerFactory.getLogger(JdkSock.class);

    final SocketChannel sc;
    private SelectionKey key; // null until the socket first waits for readiness

    JdkSock(SocketChannel sc) {
        this.sc = sc;
    }

    /** A connect's key, reused for the connection: interest cleared until the channel asks. */
    JdkSock(SocketChannel sc, SelectionKey key) {
        this.sc = sc;
        this.key = key;
        key.interestOps(0);
    }

    @Override
    void prepare(EventLoop owner) throws IOException {
        // The JDK hands out accepted sockets in blocking mode: fcntl is unavoidable here.
        sc.configureBlocking(false);
    }

    @Override
    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) sc.getLocalAddress(); // cached by the JDK: no syscall
    }

    @Override
    InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) sc.getRemoteAddress();
    }

    @Override
    int read(ByteBuffer b) throws IOException {
        return sc.read(b);
    }

    @Override
    int write(ByteBuffer b) throws IOException {
        return sc.write(b);
    }

    @Override
    long write(ByteBuffer[] bs, int offset, int length) throws IOException {
        return sc.write(bs, offset, length);
    }

    @Override
    SendFile openFile(Path path) throws IOException {
        return new JdkFile(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    long transferFile(SendFile file, long position, long count) throws IOException {
        return ((JdkFile) file).channel.transferTo(position, count, sc); // sendfile(2) on Linux
    }

    private static final class JdkFile extends SendFile {
        final FileChannel channel;

        JdkFile(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Override
    void shutdownOutput() throws IOException {
        sc.shutdownOutput();
    }

    @Override
    void setNoDelay(boolean on) throws IOException {
        sc.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    boolean noDelay() throws IOException {
        return sc.getOption(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    void setLingerZero() throws IOException {
        sc.setOption(StandardSocketOptions.SO_LINGER, 0);
    }

    @Override
    void interest(int ops, NioChannel channel) throws IOException {
        if (key == null) {
            key = sc.register(((JdkPoller) channel.loop.poller).selector, ops, channel);
        } else {
            if (key.attachment() != channel) { key.attach(channel); } // a connect's key, now the channel's
            key.interestOps(ops);
        }
    }

    @Override
    boolean registered() {
        return key != null;
    }

    @Override
    void close(EventLoop loop) {
        if (key != null) {
            key.cancel();
            ((JdkPoller) loop.poller).deferredCloses.add(sc); // closed after the next select has deregistered it
        } else {
            closeQuietly(sc);
        }
    }

    static void closeQuietly(SocketChannel sc) {
        try {
            sc.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }
}

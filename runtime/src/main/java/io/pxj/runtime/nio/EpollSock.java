package io.pxj.runtime.nio;

import io.pxj.linux.Epoll;
import io.pxj.linux.LinuxSockets;
import io.pxj.runtime.spi.support.DirectMemory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sock} on a raw descriptor: reads and writes are single {@code read}/{@code write}/{@code writev}
 * calls on the buffers' own memory (heap buffers go through the poller's bounce buffer). It joins the loop's
 * epoll at the first {@link #interest} call; an interest of 0 leaves epoll, as the JDK's selector does, so a
 * hung-up socket nobody reads cannot spin the loop.
 *
 * <p>Threading: confined to the owning loop thread.
 */
final class EpollSock extends Sock {
    private static final Logger LOG = LoggerFactory.getLogger(EpollSock.class);

    final int fd;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private EpollPoller poller;   // the owning loop's, from prepare() or the connect
    private long token;           // the registry token; 0 = never registered
    private boolean inEpoll;      // registered with a non-zero interest
    private boolean closed;

    EpollSock(int fd, InetSocketAddress local, InetSocketAddress remote, EpollPoller poller) {
        this.fd = fd;
        this.local = local;
        this.remote = remote;
        this.poller = poller;
    }

    @Override
    void prepare(EventLoop owner) {
        poller = (EpollPoller) owner.poller;
    }

    @Override
    InetSocketAddress localAddress() {
        return local;
    }

    @Override
    InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    int read(ByteBuffer b) throws IOException {
        int room = b.remaining();
        long address = DirectMemory.address(b);
        if (address != 0) {
            int n = poller.sockets.read(fd, address + b.position(), room);
            if (n > 0) { b.position(b.position() + n); }
            return n;
        }
        ByteBuffer bounce = poller.bounce();
        int n = poller.sockets.read(fd, DirectMemory.address(bounce), Math.min(room, bounce.capacity()));
        if (n > 0) { b.put(bounce.limit(n)); }
        return n;
    }

    @Override
    int write(ByteBuffer b) throws IOException {
        long address = DirectMemory.address(b);
        int n;
        if (address != 0) {
            n = poller.sockets.write(fd, address + b.position(), b.remaining());
        } else {
            ByteBuffer bounce = poller.bounce();
            int len = Math.min(b.remaining(), bounce.capacity());
            bounce.put(b.duplicate().limit(b.position() + len)).flip();
            n = poller.sockets.write(fd, DirectMemory.address(bounce), len);
        }
        b.position(b.position() + n);
        return n;
    }

    @Override
    long write(ByteBuffer[] bs, int offset, int length) throws IOException {
        int count = Math.min(length, LinuxSockets.IOV_MAX);
        for (int i = 0; i < count; i++) {
            ByteBuffer b = bs[offset + i];
            long address = DirectMemory.address(b);
            if (address == 0) { return writeOneByOne(bs, offset, count); }
            poller.sockets.iovec(i, address + b.position(), b.remaining());
        }
        long n = poller.sockets.writev(fd, count);
        advance(bs, offset, count, n);
        return n;
    }

    /** A gather with a heap buffer in it: buffer by buffer until one is cut short. */
    private long writeOneByOne(ByteBuffer[] bs, int offset, int count) throws IOException {
        long total = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer b = bs[offset + i];
            int want = b.remaining();
            int n = write(b);
            total += n;
            if (n < want) { break; }
        }
        return total;
    }

    private static void advance(ByteBuffer[] bs, int offset, int count, long n) {
        for (int i = 0; i < count && n > 0; i++) {
            ByteBuffer b = bs[offset + i];
            int step = (int) Math.min(n, b.remaining());
            b.position(b.position() + step);
            n -= step;
        }
    }

    @Override
    SendFile openFile(Path path) throws IOException {
        long size = Files.size(path);
        return new NativeFile(poller.sockets, poller.sockets.openForReading(path), size);
    }

    @Override
    long transferFile(SendFile file, long position, long count) throws IOException {
        return poller.sockets.sendfile(fd, ((NativeFile) file).fd, position, count);
    }

    /** A file opened by descriptor for sendfile. Closed on the loop that opened it. */
    private static final class NativeFile extends SendFile {
        private final LinuxSockets calls;
        final int fd;
        private final long size;

        NativeFile(LinuxSockets calls, int fd, long size) {
            this.calls = calls;
            this.fd = fd;
            this.size = size;
        }

        @Override
        long size() {
            return size;
        }

        @Override
        public void close() throws IOException {
            calls.close(fd);
        }
    }

    @Override
    void shutdownOutput() throws IOException {
        poller.sockets.shutdownOutput(fd);
    }

    @Override
    void setNoDelay(boolean on) throws IOException {
        poller.sockets.setNoDelay(fd, on);
    }

    @Override
    boolean noDelay() throws IOException {
        return poller.sockets.noDelay(fd);
    }

    @Override
    void setLingerZero() throws IOException {
        poller.sockets.setLingerZero(fd);
    }

    @Override
    void interest(int ops, NioChannel channel) throws IOException {
        if (token == 0) { token = poller.register(channel); }
        int events = ((ops & SelectionKey.OP_READ) != 0 ? Epoll.IN | Epoll.RDHUP : 0)
                | ((ops & SelectionKey.OP_WRITE) != 0 ? Epoll.OUT : 0);
        if (events == 0) {
            if (inEpoll) {
                poller.epoll.remove(fd);
                inEpoll = false;
            }
        } else if (inEpoll) {
            poller.epoll.modify(fd, events, token);
        } else {
            poller.epoll.add(fd, events, token);
            inEpoll = true;
        }
    }

    @Override
    boolean registered() {
        return token != 0;
    }

    @Override
    void close(EventLoop loop) {
        if (closed) { return; }
        closed = true;
        EpollPoller p = poller != null ? poller : (EpollPoller) loop.poller;
        if (token != 0) { p.release(token); }
        try {
            p.sockets.close(fd); // also leaves epoll: nothing else holds the descriptor
        } catch (IOException e) {
            LOG.debug("close failed on fd {}: {}", fd, e.toString());
        }
    }
}

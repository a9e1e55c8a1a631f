package io.pxj.runtime.windows;

import io.pxj.win32.WindowsException;
import java.net.StandardProtocolFamily;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client sockets recycled with DisconnectEx(TF_REUSE_SOCKET) (something PyParallel never finished): a socket
 * that ended gracefully keeps its binding, PoolIo and op memory and serves the next ConnectEx of its family.
 * Bounded per family; beyond the bound sockets are destroyed.
 *
 * <p>Thread-safe.
 */
final class ClientSocketPool implements SocketHome {
    private final WindowsBackend backend;
    private final int max;
    private final ConcurrentLinkedQueue<IoSocket> v4 = new ConcurrentLinkedQueue<>(),
            v6 = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count4 = new AtomicInteger(), count6 = new AtomicInteger();

    ClientSocketPool(WindowsBackend backend, int max) {
        this.backend = backend;
        this.max = max;
    }

    /** A recycled socket of {@code family}, or a new one. */
    IoSocket take(StandardProtocolFamily family) throws WindowsException {
        boolean six = family == StandardProtocolFamily.INET6;
        IoSocket s = (six ? v6 : v4).poll();
        if (s != null) {
            (six ? count6 : count4).decrementAndGet();
            return s;
        }
        return IoSocket.open(backend, family, this);
    }

    @Override
    public void recycle(IoSocket s) {
        boolean six = s.family == StandardProtocolFamily.INET6;
        AtomicInteger c = six ? count6 : count4;
        if (backend.isClosing() || s.isDestroyed() || c.get() >= max) {
            s.destroy();
            return;
        }
        (six ? v6 : v4).offer(s);
        c.incrementAndGet();
        if (backend.isClosing()) { destroyAll(); }
    }

    int size() {
        return count4.get() + count6.get();
    }

    void destroyAll() {
        IoSocket s;
        while ((s = v4.poll()) != null) {
            count4.decrementAndGet();
            s.destroy();
        }
        while ((s = v6.poll()) != null) {
            count6.decrementAndGet();
            s.destroy();
        }
    }
}

package io.pxj.runtime.windows;

import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.Listener;
import io.pxj.win32.AcceptAddresses;
import io.pxj.win32.ErrorCodes;
import io.pxj.win32.PoolIo;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A listening socket with {@code acceptsPosted} AcceptEx operations kept posted: each completed accept is
 * replaced at once (top-up), preferring a socket recycled by DisconnectEx(TF_REUSE_SOCKET) (its PoolIo and op
 * memory come with it) over a new one.
 *
 * <p>The listening socket is overlapped, SO_EXCLUSIVEADDRUSE, IPV6_V6ONLY as asked for IPv6, with its own
 * {@link PoolIo} (AcceptEx is issued on the listening handle, so its StartThreadpoolIo/CancelThreadpoolIo go to
 * that PoolIo; the op memory belongs to the accept socket) and skip-on-success when its provider is IFS.
 *
 * <p>Threading: thread-safe. Accept completions run on pool threads, possibly concurrently; the posted count is
 * an atomic reserved before each AcceptEx, so concurrent top-ups never exceed the target. {@link #close()} is
 * idempotent: CancelIoEx + closesocket on the listening socket; the posted accepts then complete with
 * ERROR_OPERATION_ABORTED and their sockets are destroyed as those completions arrive. Close excludes an AcceptEx
 * being issued (a read-write lock, see {@link #topUp()}).
 */
final class WindowsListener implements Listener, OpTarget, SocketHome {
    private final WindowsBackend backend;
    private final Winsock ws;
    final long listenSocket;
    final PoolIo listenIo;
    private final boolean listenSkip;
    private final StandardProtocolFamily family;
    private final InetSocketAddress localAddress;
    private final Acceptor acceptor;
    final int target;
    private final AtomicInteger posted = new AtomicInteger();
    private final ConcurrentLinkedQueue<IoSocket> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Read: issuing an AcceptEx on the listening handle; write: {@link #close()} (see {@link #topUp()}). */
    private final ReentrantReadWriteLock issueLock = new ReentrantReadWriteLock();
    final LongAdder acceptsCompleted = new LongAdder(), acceptErrors = new LongAdder(),
            socketsCreated = new LongAdder(), socketsReused = new LongAdder(), refused = new LongAdder();

    private WindowsListener(WindowsBackend backend, long socket, PoolIo io, boolean skip, StandardProtocolFamily family,
                            InetSocketAddress local, Acceptor acceptor, int target) {
        this.backend = backend;
        this.ws = backend.winsock;
        this.listenSocket = socket;
        this.listenIo = io;
        this.listenSkip = skip;
        this.family = family;
        this.localAddress = local;
        this.acceptor = acceptor;
        this.target = target;
    }

    static WindowsListener open(WindowsBackend backend, InetSocketAddress address, int backlog, boolean ipv6Only,
                                int accepts, Acceptor acceptor) throws WindowsException {
        Winsock ws = backend.winsock;
        StandardProtocolFamily family = address.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        long s = ws.createTcpSocket(family);
        PoolIo io = null;
        try {
            ws.setExclusiveAddressUse(s, true);
            if (family == StandardProtocolFamily.INET6) { ws.setIpv6Only(s, ipv6Only); }
            ws.bind(s, address);
            ws.listen(s, backlog);
            boolean skip = IoSocket.trySkipCompletionPortOnSuccess(backend, s);
            io = backend.pool.createIo(s, backend::onIoCompletion);
            InetSocketAddress local = ws.localAddress(s);
            WindowsListener l = new WindowsListener(backend, s, io, skip, family, local, acceptor,
                    Math.max(1, accepts));
            backend.listenerOpened(l);
            l.topUp();
            return l;
        } catch (WindowsException | RuntimeException e) {
            IoSocket.discardAfterFailedOpen(ws, s, io, e);
            throw e;
        }
    }

    /** AcceptEx operations in flight now. */
    int posted() {
        return posted.get();
    }

    int spareSockets() {
        return spareCount.get();
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Posts AcceptEx until {@link #target} are in flight; synchronous accepts are handled in the loop.
     *
     * <p>Each AcceptEx is issued under {@link #issueLock}'s read lock, re-checking {@link #closed} inside it, and
     * {@link #close()} takes the write lock: so no AcceptEx can be issued on a listening handle value that
     * closesocket has released (Windows reuses handle values). (The PoolIo itself refuses a StartThreadpoolIo once
     * its close was requested, and defers CloseThreadpoolIo until the accepts in flight have completed.) Read lock:
     * concurrent top-ups stay concurrent.
     */
    void topUp() {
        for (;;) {
            IoOp op;
            int how;
            issueLock.readLock().lock();
            try {
                if (closed.get() || backend.isClosing()) { return; }
                int p = posted.get();
                if (p >= target) { return; }
                if (!posted.compareAndSet(p, p + 1)) { continue; }
                IoSocket s = spare.poll();
                if (s != null) {
                    spareCount.decrementAndGet();
                    socketsReused.increment();
                    backend.socketsReused.increment();
                } else {
                    try {
                        s = IoSocket.open(backend, family, this);
                        socketsCreated.increment();
                    } catch (WindowsException | RuntimeException e) {
                        posted.decrementAndGet();
                        acceptErrors.increment();
                        WindowsBackend.LOG.warn("listener {}: cannot create an accept socket: {}", localAddress,
                                e.toString());
                        return;
                    }
                }
                op = s.control;
                op.control = IoOp.Control.ACCEPT;
                try {
                    IoSocket.start(listenIo, op, this);
                } catch (RuntimeException e) { // the pool is closing: nothing was started, the op is idle again
                    op.control = IoOp.Control.NONE;
                    posted.decrementAndGet();
                    s.destroy();
                    WindowsBackend.LOG.debug("listener {}: AcceptEx not started: {}", localAddress, e.toString());
                    return;
                }
                long r;
                try {
                    r = ws.acceptEx(listenSocket, s.handle, op.memory.address(IoOp.ACCEPT_BUFFER_OFFSET), 0,
                            op.address());
                } catch (RuntimeException e) {
                    WindowsBackend.LOG.error("listener {}: AcceptEx refused", localAddress, e);
                    r = io.pxj.win32.IoOutcome.failed(ErrorCodes.ERROR_INVALID_PARAMETER);
                }
                how = IoSocket.settle(listenIo, listenSkip, op, r);
            } finally {
                issueLock.readLock().unlock();
            }
            if (how == IoSocket.SYNC) { // outside the lock: accepted() runs the user's Acceptor
                backend.syncCompletions.increment();
                WindowsChannel c = accepted(op);
                if (c != null) { c.open(false); } // we may be on any thread here: opened runs on the pool
            } else if (how == IoSocket.ASYNC) {
                backend.asyncOperations.increment();
            } else {
                posted.decrementAndGet(); // STALE: the socket was destroyed meanwhile, no accept is in flight
            }
        }
    }

    /** An AcceptEx completed through the pool (top of a pool callback). */
    @Override
    public void opCompleted(IoOp op) {
        WindowsChannel c = accepted(op);
        topUp(); // replace the accept before running the protocol's first callback
        if (c != null) { c.open(true); }
    }

    /** Completes an accept; returns the new (not yet opened) channel, or null if there is none. */
    private WindowsChannel accepted(IoOp op) {
        IoSocket s = op.socket;
        posted.decrementAndGet();
        op.control = IoOp.Control.NONE;
        int err = op.error;
        op.release();
        if (err != 0 || closed.get() || backend.isClosing()) {
            if (err != 0 && err != ErrorCodes.ERROR_OPERATION_ABORTED) {
                acceptErrors.increment();
                WindowsBackend.LOG.debug("listener {}: AcceptEx failed with {}", localAddress, err);
            }
            s.destroy(); // a failed AcceptEx leaves the accept socket unusable
            return null;
        }
        AcceptAddresses a;
        try {
            ws.updateAcceptContext(s.handle, listenSocket);
            a = ws.getAcceptExSockaddrs(listenSocket, op.memory.address(IoOp.ACCEPT_BUFFER_OFFSET), 0);
        } catch (WindowsException | RuntimeException e) {
            acceptErrors.increment();
            WindowsBackend.LOG.debug("listener {}: accepted socket unusable: {}", localAddress, e.toString());
            s.destroy();
            return null;
        }
        acceptsCompleted.increment();
        ConnectionHandler h;
        try {
            h = acceptor.accept();
        } catch (Throwable t) {
            WindowsBackend.LOG.error("listener {}: acceptor failed", localAddress, t);
            h = null;
        }
        if (h == null) {
            refused.increment();
            s.destroy();
            return null;
        }
        s.uses++;
        return WindowsChannel.accepted(backend, s, h, a.local(), a.remote());
    }

    /** A socket of this listener finished DisconnectEx(TF_REUSE_SOCKET): keep it for the next AcceptEx. */
    @Override
    public void recycle(IoSocket s) {
        if (closed.get() || backend.isClosing() || s.isDestroyed() || spareCount.get() >= 2 * target) {
            s.destroy();
            return;
        }
        spare.offer(s);
        spareCount.incrementAndGet();
        if (closed.get()) { // raced with close(): make sure it does not linger
            destroySpares();
            return;
        }
        topUp();
    }

    private void destroySpares() {
        IoSocket s;
        while ((s = spare.poll()) != null) {
            spareCount.decrementAndGet();
            s.destroy();
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) { return; }
        issueLock.writeLock().lock(); // waits for AcceptEx calls being issued; later top-ups see closed
        try {
            try {
                if (posted.get() > 0) { ws.cancelIoEx(listenSocket, 0); } // the posted AcceptEx complete with 995
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("listener {}: CancelIoEx failed: {}", localAddress, e.getMessage());
            }
            try {
                ws.close(listenSocket);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("listener {}: closesocket failed: {}", localAddress, e.getMessage());
            }
            listenIo.close(); // a close request: CloseThreadpoolIo runs after the last cancelled AcceptEx completed
        } finally {
            issueLock.writeLock().unlock();
        }
        destroySpares();
        backend.listenerClosed(this);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("acceptsPosted", (long) posted.get(), "acceptsTarget", (long) target,
                "acceptsCompleted", acceptsCompleted.sum(), "acceptErrors", acceptErrors.sum(),
                "socketsCreated", socketsCreated.sum(), "socketsReused", socketsReused.sum(),
                "spareSockets", (long) spareCount.get(), "refused", refused.sum());
    }

    @Override
    public String toString() {
        return "WindowsListener[" + localAddress + ", posted " + posted.get() + "/" + target + "]";
    }
}

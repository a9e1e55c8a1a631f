package io.pxj.runtime.windows;

import io.pxj.win32.ErrorCodes;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.PoolIo;
import io.pxj.win32.ProtocolInfo;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.net.StandardProtocolFamily;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One overlapped TCP socket with everything that is recycled with it: its thread-pool I/O object
 * ({@link PoolIo}, created once: CreateThreadpoolIo binds the handle for its whole life) and its three operation
 * slots (one control op for AcceptEx/ConnectEx/DisconnectEx, one receive, one send/TransmitFile), so a socket
 * recycled with DisconnectEx(TF_REUSE_SOCKET) brings its native memory along (PyParallel's socket + context reuse).
 *
 * <h2>The thread-pool I/O protocol</h2>
 * Every overlapped call goes through {@link #start} then {@link #settle}: {@code PoolIo.start()} before the call
 * (StartThreadpoolIo), and {@code PoolIo.cancel()} (CancelThreadpoolIo) for every outcome that queues no packet:
 * a synchronous failure, or a synchronous success while FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is in force.
 * Skip-on-success is only set on sockets of IFS providers; without it a synchronous success still queues a packet
 * and is treated as pending: no CancelThreadpoolIo, no inline delivery, the result arrives through the PoolIo.
 *
 * <p>Threading: {@link #start}/{@link #settle} are called by the op's issuer; {@link #destroy} is idempotent and
 * thread-safe, and never closes the handle while a call between {@link #start} and {@link #settle} is using it:
 * closing first stops admitting calls, then waits for those in progress ({@link #stopIssuing}). A destroyed socket's
 * ops are retired: idle ones are freed now, pending ones when their (stale) completion arrives.
 */
final class IoSocket {
    /** Synchronous outcome handled: the caller delivers {@code op}'s result itself. */
    static final int SYNC = 0;
    /** A completion will arrive through the pool. */
    static final int ASYNC = 1;
    /** Synchronous outcome, but the op was retired meanwhile (freed): deliver nothing. */
    static final int STALE = 2;

    final WindowsBackend backend;
    final long handle;
    final StandardProtocolFamily family;
    final PoolIo io;
    final boolean skipOnSuccess;
    final IoOp control, recv, send;
    /** Bound to a local address (client sockets stay bound across DisconnectEx reuse). */
    boolean bound;
    /** Where a successfully disconnected socket goes back to: a listener's accept pool or the client pool. */
    final SocketHome home;
    /** Connections this socket has carried (> 1 means it was recycled). */
    int uses;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    /**
     * Overlapped calls being issued on this handle (from {@link #start} until {@link #settle}), plus
     * {@link #ISSUE_STOPPED} once no new call is admitted. Windows reuses socket handle values at once, so
     * closesocket must never overtake a call that is about to use the handle: it could land on another socket.
     */
    private final AtomicInteger issuing = new AtomicInteger();
    private static final int ISSUE_STOPPED = 1 << 30;
    /** How long closing waits for calls being issued (they take microseconds) before it leaks the handle. */
    static final long ISSUE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private IoSocket(WindowsBackend backend, long handle, StandardProtocolFamily family, PoolIo io,
                     boolean skipOnSuccess, SocketHome home) {
        this.backend = backend;
        this.handle = handle;
        this.family = family;
        this.io = io;
        this.skipOnSuccess = skipOnSuccess;
        this.home = home;
        OpRegistry r = backend.registry;
        this.control = new IoOp(IoOp.Kind.CONTROL, r);
        this.recv = new IoOp(IoOp.Kind.RECV, r);
        this.send = new IoOp(IoOp.Kind.SEND, r);
        control.socket = this;
        recv.socket = this;
        send.socket = this;
    }

    /**
     * Creates an overlapped socket, its PoolIo and (if possible) skip-on-success. On failure nothing leaks.
     */
    static IoSocket open(WindowsBackend backend, StandardProtocolFamily family, SocketHome home)
            throws WindowsException {
        Winsock ws = backend.winsock;
        long s = ws.createTcpSocket(family);
        PoolIo io = null;
        try {
            boolean skip = trySkipCompletionPortOnSuccess(backend, s);
            io = backend.pool.createIo(s, backend::onIoCompletion);
            IoSocket sock = new IoSocket(backend, s, family, io, skip, home);
            backend.socketOpened(sock);
            return sock;
        } catch (WindowsException | RuntimeException e) {
            discardAfterFailedOpen(ws, s, io, e);
            throw e;
        }
    }

    /**
     * Sets FILE_SKIP_COMPLETION_PORT_ON_SUCCESS if, and only if, the socket's provider returns IFS handles
     * (XP1_IFS_HANDLES in its WSAPROTOCOL_INFOW), as MSDN requires and libuv and .NET do: for a non-IFS layered
     * provider Windows accepts the call all the same, and skipping the port is then unsafe. Without it every
     * outcome but a synchronous failure queues a packet, so a synchronous success is left to its completion
     * ({@link #settle}). Counts the mode in the backend's counters.
     *
     * @return whether skip-on-success is in force
     */
    static boolean trySkipCompletionPortOnSuccess(WindowsBackend backend, long s) {
        Winsock ws = backend.winsock;
        boolean skip = false;
        try {
            ProtocolInfo p = ws.protocolInfo(s);
            if (p != null && p.ifsHandles()) { // null: an implementation that cannot tell
                ws.setSkipCompletionPortOnSuccess(s);
                skip = true;
            } else {
                WindowsBackend.LOG.debug("socket {}: provider {} (catalog entry {}) is not IFS: no skip-on-success",
                        s, p == null ? "?" : p.providerId(), p == null ? "?" : p.catalogEntryId());
            }
        } catch (WindowsException e) {
            WindowsBackend.LOG.debug("skip-on-success unavailable on socket {}: {}", s, e.getMessage());
        }
        (skip ? backend.socketsSkipOnSuccess : backend.socketsWithoutSkip).increment();
        return skip;
    }

    /** Releases what a failed open created (its PoolIo if any, then the socket), keeping {@code cause} primary. */
    static void discardAfterFailedOpen(Winsock ws, long s, PoolIo io, Exception cause) {
        if (io != null) { io.close(); }
        try {
            ws.close(s);
        } catch (WindowsException e2) {
            cause.addSuppressed(e2);
        }
    }

    /**
     * Admits one overlapped call on {@code op}'s socket, marks {@code op} pending for {@code target} and calls
     * StartThreadpoolIo on {@code pio}. The caller must follow with the call and {@link #settle}.
     *
     * @throws IllegalStateException if the socket no longer admits calls (it is being closed), the op is busy or
     *         StartThreadpoolIo was refused (the PoolIo or the pool is closing); nothing is then in flight
     */
    static void start(PoolIo pio, IoOp op, OpTarget target) {
        IoSocket owner = op.socket;
        if (!owner.enterIssue()) {
            throw new IllegalStateException("socket " + owner.handle + " is closing: no new overlapped call");
        }
        try {
            op.begin(target);
        } catch (RuntimeException e) {
            owner.exitIssue();
            throw e;
        }
        try {
            pio.start();
        } catch (RuntimeException e) {
            op.complete(ErrorCodes.ERROR_INVALID_HANDLE, 0, true); // never started: back to idle
            owner.exitIssue();
            throw e;
        }
    }

    private boolean enterIssue() {
        for (;;) {
            int v = issuing.get();
            if ((v & ISSUE_STOPPED) != 0) { return false; }
            if (issuing.compareAndSet(v, v + 1)) { return true; }
        }
    }

    private void exitIssue() {
        issuing.decrementAndGet();
    }

    /**
     * No new overlapped call is admitted from now on; waits (bounded) for the calls being issued to return.
     * Idempotent, any thread (never between a {@link #start} and its {@link #settle} on the same thread).
     *
     * @return true if no call is being issued any more; false if one is still in progress after the bound
     */
    boolean stopIssuing() {
        issuing.getAndUpdate(v -> v | ISSUE_STOPPED);
        long deadline = System.nanoTime() + ISSUE_DRAIN_NANOS;
        while ((issuing.get() & ~ISSUE_STOPPED) != 0) {
            if (System.nanoTime() - deadline > 0) { return false; }
            Thread.onSpinWait();
            LockSupport.parkNanos(10_000);
        }
        return true;
    }

    /**
     * Interprets the immediate outcome of the call issued after {@link #start}: {@code CancelThreadpoolIo} on
     * every outcome that queues no packet.
     *
     * @param skip whether skip-on-success is in force on the handle the call was issued on
     * @return {@link #SYNC}, {@link #ASYNC} or {@link #STALE}
     */
    static int settle(PoolIo pio, boolean skip, IoOp op, long outcome) {
        op.socket.exitIssue(); // the call returned: closesocket may proceed
        if (IoOutcome.isPending(outcome)) { return ASYNC; }
        if (IoOutcome.isCompleted(outcome) && !skip) { return ASYNC; } // a packet follows anyway
        pio.cancel();
        boolean live = IoOutcome.isCompleted(outcome)
                ? op.complete(0, IoOutcome.bytes(outcome), true)
                : op.complete(IoOutcome.error(outcome), 0, true);
        return live ? SYNC : STALE;
    }

    int settle(IoOp op, long outcome) {
        return settle(io, skipOnSuccess, op, outcome);
    }

    boolean isDestroyed() {
        return destroyed.get();
    }

    /** True if any of this socket's ops is in flight. */
    boolean hasPending() {
        return control.isPending() || recv.isPending() || send.isPending();
    }

    /**
     * closesocket once (pending operations then complete with an error), after the calls being issued on the
     * handle returned. If one does not return in time the handle is leaked (logged), never closed under it.
     */
    void closeSocket() {
        closeHandle(false, false);
    }

    /**
     * Abortive: cancels every operation on the handle (CancelIoEx(handle, NULL)) and closes it. The ops stay
     * registered until their completions (995) arrive.
     */
    void abort() {
        closeHandle(true, false);
    }

    /** {@link #abort()} with SO_LINGER 0 first, so the peer gets a RST rather than a FIN. */
    void abortWithReset() {
        closeHandle(true, true);
    }

    /**
     * The one place that ends the handle: exactly one caller gets past the CAS, so no thread can still be about
     * to CancelIoEx a handle value that another thread has already closed (and Windows may have reused).
     */
    private void closeHandle(boolean cancelFirst, boolean reset) {
        if (!socketClosed.compareAndSet(false, true)) { return; }
        if (!stopIssuing()) { // CancelIoEx must not miss a call issued just after it; closesocket must not overtake it
            backend.socketsLeaked.increment();
            WindowsBackend.LOG.warn("socket {}: an overlapped call still in progress after {} ms; the handle is"
                    + " leaked, not closed under it", handle, TimeUnit.NANOSECONDS.toMillis(ISSUE_DRAIN_NANOS));
            return;
        }
        if (reset) {
            try {
                backend.winsock.setLinger(handle, true, 0);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("socket {}: SO_LINGER 0 failed: {}", handle, e.getMessage());
            }
        }
        if (cancelFirst && hasPending()) {
            try {
                backend.winsock.cancelIoEx(handle, 0);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("CancelIoEx({}) failed: {}", handle, e.getMessage());
            }
        }
        backend.socketsClosed.increment();
        try {
            backend.winsock.close(handle);
        } catch (WindowsException e) {
            WindowsBackend.LOG.debug("closesocket({}) failed: {}", handle, e.getMessage());
        }
    }

    /**
     * Releases everything: closes the socket (if still open), requests the PoolIo's close (CloseThreadpoolIo then
     * runs when the aborted operations' completions have been delivered, possibly on a pool thread; its handler
     * stays registered until then) and retires the ops (their memory is freed by those completions). Idempotent.
     */
    void destroy() {
        if (!destroyed.compareAndSet(false, true)) { return; }
        abort();
        io.close();
        control.retire();
        recv.retire();
        send.retire();
        backend.socketDestroyed(this);
    }

    @Override
    public String toString() {
        return "IoSocket[" + handle + " " + family + (destroyed.get() ? " destroyed" : "") + "]";
    }
}

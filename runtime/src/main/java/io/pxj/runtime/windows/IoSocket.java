package io.pxj.runtime.windows;

import io.pxj.win32.IoOutcome;
import io.pxj.win32.PoolIo;
import io.pxj.win32.ProtocolInfo;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.net.StandardProtocolFamily;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * thread-safe. A destroyed socket's ops are retired: idle ones are freed now, pending ones when their (stale)
 * completion arrives.
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
            if (p.ifsHandles()) {
                ws.setSkipCompletionPortOnSuccess(s);
                skip = true;
            } else {
                WindowsBackend.LOG.debug("socket {}: provider {} (catalog entry {}) is not IFS: no skip-on-success",
                        s, p.providerId(), p.catalogEntryId());
            }
        } catch (WindowsException e) {
            WindowsBackend.LOG.debug("skip-on-success unavailable on socket {}: {}", s, e.getMessage());
        }
        (skip ? backend.socketsSkipOnSuccess : backend.socketsWithoutSkip).increment();
        return skip;
    }

    /** Releases what a failed open created (its PoolIo if any, then the socket), keeping {@code cause} primary. */
    static void discardAfterFailedOpen(Winsock ws, long s, PoolIo io, Exception cause) {
        if (io != null) io.close();
        try {
            ws.close(s);
        } catch (WindowsException e2) {
            cause.addSuppressed(e2);
        }
    }

    /** Marks {@code op} pending for {@code target} and calls StartThreadpoolIo on {@code pio}. */
    static void start(PoolIo pio, IoOp op, OpTarget target) {
        op.begin(target);
        try {
            pio.start();
        } catch (RuntimeException e) {
            op.complete(WindowsBackend.ERROR_INVALID_HANDLE, 0, true); // never started: back to idle
            throw e;
        }
    }

    /**
     * Interprets the immediate outcome of the call issued after {@link #start}: {@code CancelThreadpoolIo} on
     * every outcome that queues no packet.
     *
     * @param skip whether skip-on-success is in force on the handle the call was issued on
     * @return {@link #SYNC}, {@link #ASYNC} or {@link #STALE}
     */
    static int settle(PoolIo pio, boolean skip, IoOp op, long outcome) {
        if (IoOutcome.isPending(outcome)) return ASYNC;
        if (IoOutcome.isCompleted(outcome) && !skip) return ASYNC; // a packet follows anyway
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

    /** closesocket once (pending operations then complete with an error). */
    void closeSocket() {
        if (socketClosed.compareAndSet(false, true)) {
            try {
                backend.winsock.close(handle);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("closesocket({}) failed: {}", handle, e.getMessage());
            }
        }
    }

    /**
     * Abortive: cancels every operation on the handle (CancelIoEx(handle, NULL)) and closes it. The ops stay
     * registered until their completions (995) arrive.
     */
    void abort() {
        if (!socketClosed.get()) {
            if (hasPending()) {
                try {
                    backend.winsock.cancelIoEx(handle, 0);
                } catch (WindowsException e) {
                    WindowsBackend.LOG.debug("CancelIoEx({}) failed: {}", handle, e.getMessage());
                }
            }
            closeSocket();
        }
    }

    /**
     * Releases everything: closes the socket (if still open), requests the PoolIo's close (CloseThreadpoolIo then
     * runs when the aborted operations' completions have been delivered, possibly on a pool thread; its handler
     * stays registered until then) and retires the ops (their memory is freed by those completions). Idempotent.
     */
    void destroy() {
        if (!destroyed.compareAndSet(false, true)) return;
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

package io.pxj.runtime.windows;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.IoMode;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.support.ChannelBase;
import io.pxj.runtime.spi.support.ChannelChecks;
import io.pxj.win32.ErrorCodes;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.NativeBuffers;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection on the Windows backend: overlapped WSARecv / WSASend / TransmitFile / ConnectEx / DisconnectEx
 * on an {@link IoSocket}, reported to the core's {@link ConnectionHandler}.
 *
 * <h2>Threading contract</h2>
 * Completions arrive on arbitrary pool threads, possibly concurrently (a receive and a send). Every event of the
 * connection (I/O results, core tasks from {@link #execute}, open/connect/abort requests) goes through one
 * lock-free queue drained by at most one thread at a time ({@code running} flag): the thread that makes the
 * queue non-empty drains it when it is at the top of a pool callback (an I/O completion), otherwise the drain is
 * submitted to the pool. So handler calls never overlap, each happens-after the previous one, and a pool thread
 * is never blocked waiting for a lock held by a long protocol callback.
 *
 * <p>The core calls {@link #read}/{@link #send}/{@link #sendFile}/{@link #close} only from inside a handler call
 * or a task of this channel, i.e. from the draining thread. Those methods issue the overlapped call at once; a
 * synchronous outcome (success with skip-on-success, or failure) is not delivered re-entrantly but queued and
 * delivered by the same drain loop after the handler returns (a trampoline, as the nio backend does), which
 * keeps handler calls from nesting and bounds the stack.
 *
 * <h2>IoMode</h2>
 * With skip-on-success every overlapped call is also a synchronous attempt: it either completes inline or goes
 * pending. {@link #syncBudget} is how many inline completions one drain handles back-to-back on the current
 * thread before it yields the thread (re-submits itself to the pool) so other connections run: see the package
 * documentation for the mapping.
 *
 * <h2>Close</h2>
 * Graceful: after the outstanding send completes, an outstanding read is cancelled (CancelIoEx on its
 * OVERLAPPED); then, if the peer closed first, DisconnectEx(TF_REUSE_SOCKET) is issued and the socket, its
 * PoolIo and its ops return to their {@link SocketHome} when it completes, and if we closed first the socket is
 * closed (see {@link #finish}). Abortive: CancelIoEx(socket, NULL) + closesocket. Either way
 * {@link ConnectionHandler#closed()} is called exactly once, and only when no read or send is outstanding any
 * more, so the core never recycles a buffer the kernel may still write. An operation Windows refuses to start
 * (the socket is being closed, e.g. by a forced shutdown, or the pool is closing) leaves nothing outstanding: it
 * is reported as a failure and the connection closes.
 *
 * <p>Parts: a file send (TransmitFile, or chunks through WSASend) is {@link FileSend}; a client's ConnectEx is
 * {@link ChannelConnect}. The rest (the event queue, reads, sends and the close sequence, about 620 lines) stays
 * in one class because the close sequence must see every outstanding operation and the order they settle in.
 */
final class WindowsChannel extends ChannelBase implements OpTarget {
    static final int CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;

    private static final Object OPEN_EVENT = new Object();
    private static final Object CONNECT_EVENT = new Object();
    private static final Object ABORT_EVENT = new Object();
    private static final Object SEND_EMPTY_EVENT = new Object();

    /**
     * A send that failed before its operation could be issued (e.g. the file of a sendFile is missing): reported,
     * the connection stays usable.
     */
    private record SendFailure(IOException cause) {
    }

    /**
     * An operation Windows would not start (the socket is closing or StartThreadpoolIo was refused): the
     * connection can do no more I/O, so it is reported and closed.
     */
    private record IoRefused(IOException cause) {
    }

    final WindowsBackend backend;
    final IoSocket sock;
    final ConnectionHandler handler;
    /** Client (ConnectEx) connection: may end with connectFailed instead of opened/closed. */
    final boolean client;
    private final Winsock ws;

    private final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Runnable drainTask = this::drainFromPool;

    // ---- state below: confined to the draining thread
    volatile int state;
    private int syncBudget = syncAttempts(IoMode.CONCURRENCY);
    private ByteBuffer readBuf;
    private boolean readOutstanding;
    /** The outstanding receive is a zero-byte one: it pins no buffer and completes when data (or FIN) is there. */
    private boolean zeroByteRead;
    private boolean sendOutstanding;
    private ByteBuffer[] sendBufs;
    private int sendOff, sendEnd;
    private long sendTotal;
    private boolean sendIsFile;
    private final FileSend fileSend = new FileSend(this);
    private boolean shutdownRequested;
    /** We sent our FIN (shutdown(SD_SEND)): if the peer's FIN follows, we closed first. */
    private boolean outputShut;
    /** The peer's FIN arrived before ours: a DisconnectEx now has no TIME_WAIT to sit out. */
    private boolean peerClosedFirst;
    boolean closeRequested;
    private boolean abortive, aborted, readCancelIssued;

    private WindowsChannel(WindowsBackend backend, IoSocket sock, ConnectionHandler handler, boolean client,
                           InetSocketAddress local, InetSocketAddress remote) {
        super(backend.nextChannelId(), local, remote);
        this.backend = backend;
        this.client = client;
        this.sock = sock;
        this.handler = handler;
        this.ws = backend.winsock;
        this.state = CONNECTING;
    }

    /** ConnectEx completed: the socket's local address is known now. */
    void connectedFrom(InetSocketAddress localAddress) {
        localAddressKnown(localAddress);
    }

    /** An accepted connection; the caller (a pool thread at the top of a completion callback) opens it. */
    static WindowsChannel accepted(WindowsBackend b, IoSocket s, ConnectionHandler h, InetSocketAddress local,
                                   InetSocketAddress remote) {
        WindowsChannel c = new WindowsChannel(b, s, h, false, local, remote);
        b.channelOpened(c);
        return c;
    }

    /** A client connection to {@code remote}; {@link #startConnect()} issues the ConnectEx on a pool thread. */
    static WindowsChannel connecting(WindowsBackend b, IoSocket s, ConnectionHandler h, InetSocketAddress remote) {
        WindowsChannel c = new WindowsChannel(b, s, h, true, null, remote);
        b.channelOpened(c);
        return c;
    }

    /** IoMode -> synchronous completions handled back-to-back before yielding the thread (package docs). */
    static int syncAttempts(IoMode mode) {
        return switch (mode) {
            case THROUGHPUT -> 16;
            case CONCURRENCY -> 1;
            case LOW_LATENCY -> 64;
        };
    }

    int syncBudget() {
        return syncBudget;
    }

    int state() {
        return state;
    }

    // ================================================================ events and serialisation

    /** Accepted: deliver {@code opened} (inline when called at the top of a pool callback). */
    void open(boolean inline) {
        enqueue(OPEN_EVENT, inline);
    }

    void startConnect() {
        enqueue(CONNECT_EVENT, false);
    }

    /** Backend shutdown: abortive close, serialised with the connection's events. */
    void abortFromBackend() {
        enqueue(ABORT_EVENT, false);
    }

    @Override
    public void opCompleted(IoOp op) {
        enqueue(op, true); // we are at the top of an I/O completion callback
    }

    private void enqueue(Object event, boolean inline) {
        events.offer(event);
        if (running.compareAndSet(false, true)) {
            if (inline) { drain(); }
            else { backend.submitInternal(drainTask); }
        }
    }

    private void drainFromPool() {
        drain();
    }

    /** Runs queued events until none is left (or the synchronous budget says to yield the thread). */
    private void drain() {
        int inlineHandled = 0;
        for (;;) {
            Object ev;
            while ((ev = events.poll()) != null) {
                if (ev instanceof IoOp op && op.inline) { inlineHandled++; }
                try {
                    dispatch(ev);
                    progressClose();
                    backend.checkLongCallback();
                } catch (Throwable t) {
                    WindowsBackend.LOG.error("channel {}: internal error; aborting the connection", id, t);
                    closeRequested = true;
                    abortive = true;
                    try {
                        progressClose();
                    } catch (Throwable t2) {
                        WindowsBackend.LOG.error("channel {}: abort failed", id, t2);
                    }
                }
                if (inlineHandled >= syncBudget && !events.isEmpty()) {
                    backend.syncYields.increment();
                    backend.submitInternal(drainTask); // running stays true: the pool thread continues
                    return;
                }
            }
            running.set(false);
            if (events.isEmpty() || !running.compareAndSet(false, true)) { return; }
        }
    }

    private void dispatch(Object ev) {
        if (ev instanceof IoOp op) {
            if (op == sock.recv) { onRecv(op); }
            else if (op == sock.send) { onSend(op); }
            else if (op == sock.control) { ChannelConnect.completed(this, op); }
            else { throw new IllegalStateException("foreign op " + op); }
        } else if (ev instanceof Runnable task) {
            try {
                task.run();
            } catch (Throwable t) {
                WindowsBackend.LOG.error("channel {}: task failed", id, t);
            }
        } else if (ev == OPEN_EVENT) {
            if (state != CONNECTING) { return; }
            state = OPEN;
            applyDefaults();
            handler.opened(this);
        } else if (ev == CONNECT_EVENT) {
            ChannelConnect.issue(this);
        } else if (ev == ABORT_EVENT) {
            close(true);
        } else if (ev == SEND_EMPTY_EVENT) {
            finishSend();
        } else if (ev instanceof SendFailure f) {
            sendOutstanding = false;
            sendBufs = null;
            if (!closeRequested) { handler.failed(f.cause()); }
        } else if (ev instanceof IoRefused r) {
            if (!closeRequested) { fail(r.cause()); }
        } else {
            throw new IllegalStateException("unknown event " + ev);
        }
    }

    void applyDefaults() {
        try {
            ws.setTcpNoDelay(sock.handle, true);
        } catch (WindowsException e) {
            WindowsBackend.LOG.debug("channel {}: TCP_NODELAY not set: {}", id, e.getMessage());
        }
    }

    // ================================================================ Channel

    @Override
    public void options(ProtocolOptions o) {
        syncBudget = syncAttempts(o.ioMode());
        if (!o.tcpNoDelay()) {
            try {
                ws.setTcpNoDelay(sock.handle, false);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("channel {}: TCP_NODELAY not cleared: {}", id, e.getMessage());
            }
        }
    }

    @Override
    public void read(ByteBuffer buffer) {
        ChannelChecks.noReadOutstanding(id, readOutstanding);
        if (state != OPEN || closeRequested) { return; } // closing: the core no longer listens
        issueRecv(buffer);
    }

    /**
     * Posts the WSARecv: into {@code buffer}, or with {@code buffer == null} a zero-byte receive, which waits for
     * data without pinning memory; its completion asks the handler for a buffer and posts the real receive
     * ({@link #onRecv}), which then usually completes at once (skip-on-success).
     */
    private void issueRecv(ByteBuffer buffer) {
        IoOp op = sock.recv;
        if (!startOrRefuse(op, "WSARecv")) { return; }
        readOutstanding = true;
        readBuf = buffer;
        zeroByteRead = buffer == null;
        if (buffer == null) {
            backend.zeroByteReceives.increment();
            op.wsabufs.set(0, 0, 0);
        } else {
            op.pin(buffer);
            op.wsabufs.set(0, NativeBuffers.positionAddress(buffer), buffer.remaining());
        }
        long r;
        try {
            r = ws.wsaRecv(sock.handle, op.wsabufs.address(), 1, 0, op.address());
        } catch (RuntimeException e) {
            WindowsBackend.LOG.error("channel {}: WSARecv refused", id, e);
            r = IoOutcome.failed(ErrorCodes.ERROR_INVALID_PARAMETER);
        }
        settled(op, sock.settle(op, r));
    }

    /**
     * {@link IoSocket#start}; if Windows will not start the operation, queues its refusal (delivered after the
     * current handler call, like any synchronous outcome) and returns false: nothing is outstanding then.
     */
    boolean startOrRefuse(IoOp op, String what) {
        try {
            IoSocket.start(sock.io, op, this);
            return true;
        } catch (RuntimeException e) {
            WindowsBackend.LOG.debug("channel {}: {} not started: {}", id, what, e.toString());
            events.offer(new IoRefused(new IOException(what + " not started: " + e.getMessage(), e)));
            return false;
        }
    }

    void settled(IoOp op, int how) {
        if (how == IoSocket.SYNC) {
            backend.syncCompletions.increment();
            events.offer(op); // delivered by this drain after the current handler returns
        } else if (how == IoSocket.ASYNC) {
            backend.asyncOperations.increment();
        }
    }

    private void onRecv(IoOp op) {
        readOutstanding = false;
        ByteBuffer b = readBuf;
        readBuf = null;
        boolean zero = zeroByteRead;
        zeroByteRead = false;
        int err = op.error;
        long n = op.bytes;
        long completedNanos = op.completedNanos;
        op.release();
        if (closeRequested || state != OPEN) { return; } // cancelled or raced with our close: dropped
        if (zero && err == 0) {
            // Data or the peer's FIN is there (a zero-byte receive cannot tell which): borrow a buffer only now
            // and post the real receive; 0 bytes from that one is the FIN.
            ByteBuffer lent = handler.receiveBuffer();
            if (lent == null) {
                fail(new IOException("channel " + id + ": no memory for a receive buffer"));
                return;
            }
            issueRecv(lent);
            return;
        }
        if (err == 0 && n > 0) {
            b.position(b.position() + (int) n);
            handler.received((int) n, completedNanos);
        } else if (err == 0) {
            if (!outputShut) { peerClosedFirst = true; }
            handler.inputClosed();
        } else {
            fail(new WindowsException("WSARecv", err));
        }
    }

    @Override
    public void send(ByteBuffer[] buffers, int offset, int count) {
        ChannelChecks.noSendOutstanding(id, sendOutstanding);
        if (state != OPEN || closeRequested && abortive) { return; }
        sendOutstanding = true;
        sendIsFile = false;
        sendBufs = buffers;
        sendOff = offset;
        sendEnd = offset + count;
        sendTotal = 0;
        issueSend();
    }

    private void issueSend() {
        while (sendOff < sendEnd && !sendBufs[sendOff].hasRemaining()) { sendOff++; }
        if (sendOff == sendEnd) {
            events.offer(SEND_EMPTY_EVENT);
            return;
        }
        IoOp op = sock.send;
        if (!startOrRefuse(op, "WSASend")) {
            sendOutstanding = false;
            sendBufs = null;
            fileSend.close(); // a file being sent by chunks
            fileSend.forgetHeadAndTail();
            return;
        }
        int n = 0;
        for (int i = sendOff; i < sendEnd && n < IoOp.MAX_WSABUFS; i++) {
            ByteBuffer b = sendBufs[i];
            if (!b.hasRemaining()) { continue; }
            op.wsabufs.set(n++, NativeBuffers.positionAddress(b), b.remaining());
            op.pin(b);
        }
        long r;
        try {
            r = ws.wsaSend(sock.handle, op.wsabufs.address(), n, 0, op.address());
        } catch (RuntimeException e) {
            WindowsBackend.LOG.error("channel {}: WSASend refused", id, e);
            r = IoOutcome.failed(ErrorCodes.ERROR_INVALID_PARAMETER);
        }
        settled(op, sock.settle(op, r));
    }

    @Override
    public void sendFile(ByteBuffer head, Path file, long offset, long length, ByteBuffer tail) {
        ChannelChecks.noSendOutstanding(id, sendOutstanding);
        if (state != OPEN || closeRequested && abortive) { return; }
        if (length <= 0) { // TransmitFile would send the whole file for 0: send head and tail only
            send(new ByteBuffer[] {head == null ? ByteBuffer.allocateDirect(0) : head,
                    tail == null ? ByteBuffer.allocateDirect(0) : tail}, 0, 2);
            return;
        }
        boolean transmit = backend.useTransmitFile();
        sendOutstanding = true;
        sendIsFile = transmit;
        sendTotal = 0;
        if (!fileSend.open(head, file, offset, length, tail, transmit)) {
            return;
        }
        if (transmit) {
            fileSend.issueTransmit();
        } else {
            backend.filesSentByWsaSend.increment();
            fileSend.issueChunk();
        }
    }

    /** A send failed before its operation was issued: reported after the current handler call. */
    void sendFailed(IOException e) {
        events.offer(new SendFailure(e));
    }

    /** Sends {@code parts} (a file chunk with its head or tail) through the WSASend path. */
    void sendParts(ByteBuffer[] parts) {
        sendBufs = parts;
        sendOff = 0;
        sendEnd = parts.length;
        issueSend();
    }

    /** TransmitFile could not start: nothing is outstanding. */
    void transmitNotStarted() {
        sendOutstanding = false;
    }

    private void onSend(IoOp op) {
        int err = op.error;
        long n = op.bytes;
        op.release();
        if (err != 0) {
            sendOutstanding = false;
            sendBufs = null;
            fileSend.close();
            if (!(closeRequested && abortive)) {
                fail(new WindowsException(sendIsFile ? "TransmitFile" : "WSASend", err));
            }
            return;
        }
        sendTotal += n;
        if (sendIsFile) {
            fileSend.transmitted();
            if (fileSend.more() && !(closeRequested && abortive)) {
                fileSend.issueTransmit();
                return;
            }
            fileSend.close();
            fileSend.forgetHeadAndTail();
            finishSend();
            return;
        }
        long left = n;
        for (int i = sendOff; i < sendEnd && left > 0; i++) {
            ByteBuffer b = sendBufs[i];
            int take = (int) Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        if (n == 0) {
            sendOutstanding = false;
            sendBufs = null;
            fileSend.close();
            fail(new IOException("WSASend completed with 0 bytes"));
            return;
        }
        for (int i = sendOff; i < sendEnd; i++) {
            if (sendBufs[i].hasRemaining()) {
                if (closeRequested && abortive) { break; }
                backend.partialSends.increment();
                issueSend(); // partial write: send the rest
                return;
            }
        }
        if (fileSend.bySend()) {
            if (fileSend.more() && !(closeRequested && abortive)) {
                fileSend.issueChunk();
                return;
            }
            fileSend.close();
            fileSend.forgetHeadAndTail();
        }
        finishSend();
    }

    private void finishSend() {
        sendOutstanding = false;
        sendBufs = null;
        if (state != CLOSED && !abortive) { handler.sendCompleted(sendTotal); } // graceful close: still reported
        if (shutdownRequested && !sendOutstanding) { doShutdownOutput(); }
    }

    @Override
    public void shutdownOutput() {
        shutdownRequested = true;
        if (!sendOutstanding) { doShutdownOutput(); }
    }

    private void doShutdownOutput() {
        shutdownRequested = false;
        if (state != OPEN) { return; }
        outputShut = true;
        try {
            ws.shutdown(sock.handle, Winsock.SD_SEND);
        } catch (WindowsException e) {
            WindowsBackend.LOG.debug("channel {}: shutdown(SD_SEND) failed: {}", id, e.getMessage());
        }
    }

    @Override
    public void close(boolean abortive) {
        if (state == CLOSED) { return; }
        closeRequested = true;
        this.abortive |= abortive;
        // progressClose() runs after the current event (the caller is a handler call or task of this channel)
    }

    @Override
    public void execute(Runnable task) {
        enqueue(task, false);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        return backend.schedule(() -> enqueue(task, false), delayNanos, 0);
    }

    // ================================================================ failure and close

    private void fail(IOException e) {
        handler.failed(e);
        if (!closeRequested) { // the core must close on failure; if it did not, make sure nothing leaks
            closeRequested = true;
            abortive = true;
        }
    }

    /** Advances a requested close as far as the outstanding operations allow; called after every event. */
    private void progressClose() {
        if (!closeRequested || state == CLOSED) { return; }
        if (state == CONNECTING) {
            if (sock.control.isPending()) {
                if (!aborted) {
                    aborted = true;
                    cancel(sock.control);
                }
                return; // ChannelConnect.completed finishes it
            }
            if (client) {
                ChannelConnect.failed(this, new IOException("connection closed before it was made"), true);
            } else { // accepted but never opened: no handler event is owed
                state = CLOSED;
                sock.destroy();
                backend.channelClosed(this);
            }
            return;
        }
        state = CLOSING;
        if (abortive) {
            if (!aborted) {
                aborted = true;
                backend.aborts.increment();
                sock.abortWithReset(); // SO_LINGER 0 (RST, not FIN) + CancelIoEx(socket, NULL) + closesocket
            }
            if (readOutstanding || sendOutstanding) { return; } // their (995) completions are still to come
            finish(false);
            return;
        }
        if (sendOutstanding) { return; } // graceful: the send finishes first
        if (readOutstanding) {
            if (!readCancelIssued) {
                readCancelIssued = true;
                cancel(sock.recv);
            }
            return;
        }
        finish(true);
    }

    private void cancel(IoOp op) {
        try {
            ws.cancelIoEx(sock.handle, op.address());
        } catch (WindowsException e) {
            WindowsBackend.LOG.debug("channel {}: CancelIoEx failed: {}", id, e.getMessage());
        }
    }

    /**
     * The end: the socket is recycled (DisconnectEx(TF_REUSE_SOCKET)) only after a graceful close in which the
     * peer closed first, because after our own FIN DisconnectEx sits out TIME_WAIT (2 x MSL, minutes) holding the
     * socket, its TP_IO and its op memory; otherwise it is closed (closesocket: a graceful FIN unless aborted;
     * TIME_WAIT then costs the kernel a little and us nothing). Whatever fails on the way, the socket is
     * released and {@code closed()} delivered, exactly once.
     */
    private void finish(boolean graceful) {
        state = CLOSED;
        try {
            fileSend.close();
            if (graceful && !backend.isClosing()) {
                backend.gracefulEnd(sock, peerClosedFirst);
            } else {
                sock.destroy();
            }
        } catch (RuntimeException e) {
            WindowsBackend.LOG.error("channel {}: releasing the socket failed; closing it", id, e);
            sock.destroy();
        } finally {
            backend.channelClosed(this);
            handler.closed();
        }
    }

    @Override
    public String toString() {
        return "WindowsChannel[" + id + " " + sock + " state " + state + "]";
    }
}

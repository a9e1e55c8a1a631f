package io.pxj.runtime.nio;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.IoMode;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.support.ChannelBase;
import io.pxj.runtime.spi.support.ChannelChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection on an {@link EventLoop}, over the transport's {@link Sock}.
 *
 * <h2>Threading contract</h2>
 * Confined to its loop thread, except {@link #execute} and {@link #schedule} (thread-safe) and the immutable
 * addresses. The core calls {@link #read}/{@link #send}/{@link #close}... only from inside handler calls or tasks
 * this channel runs; those methods just record the request, and {@link #drive} performs it after the handler
 * returns. That trampoline is what keeps handler calls from nesting (a read completing inline inside
 * {@code sendCompleted} would otherwise call {@code received} re-entrantly) and bounds the stack.
 *
 * <h2>Reads</h2>
 * A lean read ({@code read(null)}) waits for readiness without a buffer and borrows one from the handler right
 * before the read(2), so an idle connection holds no receive memory; the core lends it from a pool that gives a
 * loop the buffer it returned last, so in steady state each loop reads into one buffer.
 *
 * <h2>Poller registration</h2>
 * The socket joins the loop's poller only when the channel first has to wait ({@link #updateInterest}). An accepted
 * connection may start as if readable ({@link FirstReadProbe} decides), so a request that arrived with the
 * connection is read, answered and closed without an {@code epoll_ctl} or a wake-up, and its close is a plain
 * {@code close(2)}.
 *
 * <h2>Close</h2>
 * Graceful close waits for the outstanding send; abortive close sets SO_LINGER 0 (RST). An outstanding read is
 * dropped, an outstanding send is dropped on abort; then {@link ConnectionHandler#closed()} is called once. On
 * the nio transport a socket still registered with the selector is closed by the loop once the selector has
 * dropped it ({@link DeferredCloses}), which spares the JDK's {@code getsockopt}/{@code shutdown} for registered
 * channels; on epoll, {@code close(2)} also leaves epoll.
 */
final class NioChannel extends ChannelBase {
    private static final Logger LOG = LoggerFactory.getLogger(NioChannel.class);
    private static final int SPIN = 16;
    /** Bytes that always travel in one TCP segment (the smallest MSS is 536). */
    private static final int ONE_SEGMENT = 512;

    final EventLoop loop;
    final Sock sock;
    final ConnectionHandler handler;
    private int interest;
    // TCP_NODELAY is set lazily, as nginx does: a connection that writes one small response and closes (HTTP/1.0,
    // health checks) never needs it, since Nagle's algorithm holds data back only while earlier data is unacked.
    private boolean noDelay;         // TCP_NODELAY as set on the socket
    private boolean wantNoDelay = true; // ProtocolOptions.tcpNoDelay
    private boolean wrote;           // a write has been issued on this socket
    private long sendBytes;          // bytes of the send in progress when it was issued
    private boolean probing;         // the first read is being tried before registering (FirstReadProbe)

    // requests from the core
    private ByteBuffer readBuf;
    private boolean leanRead;        // a read without a buffer: ask the handler for one when the socket is readable
    private ByteBuffer[] sendBufs;
    private int sendOff, sendEnd;
    private boolean sendPending;
    private long sendWritten;
    private FileSend fileSend;       // the file send in progress, else null (most connections never send one)
    private boolean shutdownRequested, closeRequested, abortRequested;

    // state
    private boolean writeBlocked;    // waiting for OP_WRITE
    private boolean readReady;       // the selector said readable and we have not seen EAGAIN since
    private boolean closed;
    private boolean driving;
    private int maxReads = 1, writeSpin = 1;
    private boolean eagerReadAfterSend;

    /**
     * @param readProbe true to try the first read before waiting for readiness (an accepted connection, when
     *                  the loop's {@link FirstReadProbe} says its first bytes are likely there already)
     */
    NioChannel(EventLoop loop, Sock sock, ConnectionHandler handler, long id, boolean readProbe)
            throws IOException {
        super(id, sock.localAddress(), sock.remoteAddress()); // known to the socket: no syscall
        this.loop = loop;
        this.sock = sock;
        this.handler = handler;
        this.readReady = readProbe;
        this.probing = readProbe;
    }

    // ================================================================ Channel (called by the core)

    @Override
    public void options(ProtocolOptions o) {
        IoMode m = o.ioMode();
        maxReads = m == IoMode.THROUGHPUT ? SPIN : 1;
        writeSpin = m == IoMode.CONCURRENCY ? 1 : SPIN;
        eagerReadAfterSend = m == IoMode.LOW_LATENCY;
        wantNoDelay = o.tcpNoDelay();
        if (!wantNoDelay && noDelay) {
            applyNoDelay();
        }
    }

    /**
     * Before a write: TCP_NODELAY as wanted, unless this is the socket's first write and fits one segment (then
     * Nagle's algorithm cannot delay it: nothing is unacknowledged).
     */
    private void beforeWrite() {
        if (wantNoDelay != noDelay && (wrote || sendBytes > ONE_SEGMENT)) {
            applyNoDelay();
        }
        wrote = true;
    }

    private void applyNoDelay() {
        try {
            sock.setNoDelay(wantNoDelay);
        } catch (IOException e) {
            LOG.debug("TCP_NODELAY not set on {}", id, e);
        }
        noDelay = wantNoDelay; // tried once either way: a socket that refuses it is not asked again
    }

    @Override
    public void read(ByteBuffer buffer) {
        ChannelChecks.noReadOutstanding(id, readBuf != null || leanRead);
        readBuf = buffer;
        leanRead = buffer == null;
    }

    @Override
    public void send(ByteBuffer[] buffers, int offset, int count) {
        ChannelChecks.noSendOutstanding(id, sendPending);
        sendBufs = buffers;
        sendOff = offset;
        sendEnd = offset + count;
        sendWritten = 0;
        sendPending = true;
        if (!wrote) { // only the first write's size matters (see beforeWrite)
            long n = 0;
            for (int i = offset; i < sendEnd; i++) {
                n += buffers[i].remaining();
            }
            sendBytes = n;
        }
    }

    @Override
    public void sendFile(ByteBuffer head, Path path, long offset, long length, ByteBuffer tail) {
        ChannelChecks.noSendOutstanding(id, sendPending);
        sendPending = true;
        sendWritten = 0;
        sendBytes = Long.MAX_VALUE; // a file send: NODELAY before its first write
        FileSend f = new FileSend();
        f.head = head;
        f.tail = tail;
        f.pos = offset;
        f.left = length;
        fileSend = f;
        sendBufs = null;
        try {
            if (length > 0) {
                f.file = sock.openFile(path);
                if (f.file.size() < offset + length) {
                    throw new IOException(path + " has " + f.file.size() + " bytes; cannot send " + length
                            + " from offset " + offset);
                }
            }
        } catch (IOException e) {
            pendingFailure = e;
        }
    }

    /** A file send's state: head bytes, then the file's range by transferTo, then tail bytes. */
    private static final class FileSend {
        ByteBuffer head, tail;
        Sock.SendFile file;
        long pos, left;
    }

    private IOException pendingFailure;

    @Override
    public void shutdownOutput() {
        shutdownRequested = true;
    }

    @Override
    public void close(boolean abortive) {
        closeRequested = true;
        abortRequested |= abortive;
        // Performed by drive() when the handler call or task that asked returns: closed() must not nest in it.
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(() -> runTask(task));
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        return loop.schedule(() -> runTask(task), delayNanos, 0);
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.error("channel {}: task failed", id, t);
        }
        if (!closed) { drive(false); }
    }

    // ================================================================ loop side

    /** Registration done: tell the core, then perform what it asked for. */
    void opened() {
        driving = true;
        try {
            handler.opened(this);
        } catch (Throwable t) {
            // A handler must not throw; if it does, the socket must not stay open outside every selector.
            LOG.error("channel {}: handler.opened threw; aborting the connection", id, t);
            driving = false;
            closeNow(true);
            return;
        } finally {
            driving = false;
        }
        drive(false);
    }

    void onReady(int ops) {
        if ((ops & SelectionKey.OP_WRITE) != 0) { writeBlocked = false; }
        drive((ops & SelectionKey.OP_READ) != 0);
    }

    /**
     * Performs the core's outstanding requests until nothing more can progress without waiting, then sets the
     * interest ops to what is still waiting. Handler calls happen only here (and in {@link #opened}), one at a
     * time.
     */
    private void drive(boolean readable) {
        if (driving || closed) { return; }
        driving = true;
        try {
            readReady |= readable;
            int reads = 0;
            boolean progress = true;
            while (progress && !closed) {
                progress = false;
                if (closeRequested && (abortRequested || !sendPending)) {
                    closeNow(abortRequested);
                    return;
                }
                if (sendPending && !writeBlocked) {
                    if (pendingFailure != null) {
                        IOException e = pendingFailure;
                        pendingFailure = null;
                        sendPending = false;
                        closeFile();
                        handler.failed(e);
                        progress = true;
                        continue;
                    }
                    if (write()) {
                        sendPending = false;
                        sendBufs = null;
                        handler.sendCompleted(sendWritten);
                        if (eagerReadAfterSend) { readReady = true; }
                        progress = true;
                        continue;
                    }
                    writeBlocked = true;
                }
                if (shutdownRequested && !sendPending) {
                    shutdownRequested = false;
                    sock.shutdownOutput();
                }
                if ((readBuf != null || leanRead) && readReady && reads < maxReads) {
                    boolean lentNow = leanRead;
                    if (leanRead) {
                        // Bytes are (very likely) there: only now does the connection borrow a buffer. Epoll
                        // reports a TCP socket readable only with data, FIN or an error, so a read that then
                        // finds nothing (and keeps the buffer) is rare.
                        ByteBuffer lent = handler.receiveBuffer();
                        if (lent == null) {
                            leanRead = false;
                            fail(new IOException("connection " + id + ": no memory for a receive buffer"));
                            return;
                        }
                        readBuf = lent;
                        leanRead = false;
                    }
                    ByteBuffer b = readBuf;
                    int room = b.remaining();
                    int n = sock.read(b);
                    if (probing) {
                        probing = false;
                        loop.firstReadProbe.result(n != 0);
                    }
                    if (n > 0) {
                        reads++;
                        readBuf = null;
                        // A short read means the socket is drained: skip the EAGAIN read (saves a syscall).
                        if (n < room) { readReady = false; }
                        handler.received(n, loop.readyNanos());
                        progress = true;
                    } else if (n < 0) {
                        readBuf = null;
                        readReady = false;
                        handler.inputClosed();
                        progress = true;
                    } else {
                        readReady = false;
                        if (lentNow) {
                            // Nothing there after all: the connection takes its buffer back and waits lean.
                            readBuf = null;
                            leanRead = true;
                            handler.receiveBufferUnused();
                        }
                    }
                }
            }
            if (!closed) { updateInterest(); }
        } catch (IOException e) {
            fail(e);
        } catch (Throwable t) {
            LOG.error("channel {}: unexpected error; aborting the connection", id, t);
            closeNow(true);
        } finally {
            driving = false;
        }
    }

    /** @return true when the whole send is written */
    private boolean write() throws IOException {
        beforeWrite();
        if (sendBufs != null) {
            for (int spin = 0; spin < writeSpin; spin++) {
                while (sendOff < sendEnd && !sendBufs[sendOff].hasRemaining()) { sendOff++; }
                if (sendOff == sendEnd) { return true; }
                // write(2) for one buffer, writev(2) for several; direct buffers: no copy, no allocation.
                long n = sendEnd - sendOff == 1
                        ? sock.write(sendBufs[sendOff])
                        : sock.write(sendBufs, sendOff, sendEnd - sendOff);
                if (n <= 0) { return false; }
                sendWritten += n;
            }
            while (sendOff < sendEnd && !sendBufs[sendOff].hasRemaining()) { sendOff++; }
            return sendOff == sendEnd;
        }
        FileSend f = fileSend;
        for (int spin = 0; spin < writeSpin; spin++) {
            if (f.head != null && f.head.hasRemaining()) {
                int n = sock.write(f.head);
                if (n <= 0) { return false; }
                sendWritten += n;
                continue;
            }
            if (f.left > 0) {
                long n = sock.transferFile(f.file, f.pos, f.left);
                if (n <= 0) { return false; }
                f.pos += n;
                f.left -= n;
                sendWritten += n;
                continue;
            }
            if (f.tail != null && f.tail.hasRemaining()) {
                int n = sock.write(f.tail);
                if (n <= 0) { return false; }
                sendWritten += n;
                continue;
            }
            closeFile();
            return true;
        }
        return false;
    }

    /** Ends the file send: closes the file, forgets the state. */
    private void closeFile() {
        FileSend f = fileSend;
        if (f == null) {
            return;
        }
        fileSend = null;
        if (f.file != null) {
            try {
                f.file.close();
            } catch (IOException e) {
                LOG.debug("file close failed", e);
            }
        }
    }

    private void updateInterest() throws IOException {
        int want = (readBuf != null || leanRead ? SelectionKey.OP_READ : 0)
                | (sendPending && writeBlocked ? SelectionKey.OP_WRITE : 0);
        if (want != interest) {
            interest = want;
            // only on change: each change is an epoll_ctl
            if (!sock.registered()) {
                probing = false; // a read from here on follows readiness: no probe outcome to report
            }
            sock.interest(want, this);
        }
    }

    private void fail(IOException e) {
        readBuf = null;
        leanRead = false;
        sendPending = false;
        closeFile();
        try {
            handler.failed(e);
        } catch (Throwable t) {
            LOG.error("channel {}: handler.failed threw", id, t);
        }
        if (!closed) {
            // The core closes on failure; if it did not (it must), do it so the socket cannot leak.
            closeRequested = true;
            abortRequested = true;
            closeNow(true);
        }
    }

    private void closeNow(boolean abortive) {
        if (closed) { return; }
        closed = true;
        readBuf = null;
        leanRead = false;
        sendPending = false;
        sendBufs = null;
        closeFile();
        loop.channels.remove(this);
        try {
            if (abortive) { sock.setLingerZero(); }
        } catch (IOException | RuntimeException e) {
            LOG.debug("SO_LINGER not set on {}", id, e);
        }
        sock.close(loop);
        loop.backend.channelClosed();
        try {
            handler.closed();
        } catch (Throwable t) {
            LOG.error("channel {}: handler.closed threw", id, t);
        }
    }

    /** Backend shutdown: abort now, whatever is outstanding. */
    void abortNow() {
        closeNow(true);
    }
}

package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.DirectMemory;
import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.Cancellable;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.IoMode;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.PxException;
import io.pxj.runtime.Transport;
import io.pxj.runtime.spi.support.MemberTable;
import io.pxj.runtime.spi.Channel;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.tls.TlsInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The protocol state machine of one connection, shared by every backend: the core's {@link ConnectionHandler}
 * and the user's {@link Transport}.
 *
 * <h2>What it does</h2>
 * Demand-driven reads (one {@link Channel#read} at a time into a direct receive buffer borrowed from the core's
 * pool: a connection in the default modes holds one only while a read is delivering bytes or it keeps unconsumed
 * bytes, such as a partial line or a zero-copy echo being sent; {@code IoMode.LOW_LATENCY} keeps one), bytes or
 * lines delivery, conversion of callback return values into send entries, an ordered write queue of which one
 * {@link Channel#send} is outstanding at a time (consecutive entries are gathered into it), {@code sendComplete}
 * chaining, back-pressure, rate limiting, idle timeout, half-close, graceful and abortive close, and error
 * handling. Arena memory that is being sent pins the context: it rolls back when the last pinned send completes.
 *
 * <h2>Timing</h2>
 * The read's clock comes from the backend ({@link Transport#receivedNanos}: one reading per selector wake-up on
 * nio, per receive completion on Windows) and, only when a timed
 * response ({@link Transport#timeResponse}) is finished by it, one per send completion. Responses are attributed
 * to sends by position in the outbound byte stream: every queued entry advances its end, every completed send
 * advances the sent position by what it carried, and a timed response is reported once the sent position
 * reaches its end, which is exact under pipelining, gathered sends and partial sends. The marks live in a
 * per-connection ring of primitive arrays, so timing allocates nothing per response.
 *
 * <h2>Threading contract</h2>
 * Every {@link ConnectionHandler} method and every task this class hands to {@link Channel#execute} or
 * {@link Channel#schedule} runs on the connection's event thread, serially (the SPI guarantees it), so the state
 * is plain fields. {@link Transport} methods may be called from any thread: on the event thread they run inline,
 * elsewhere they are handed over with {@link Channel#execute}; data that belongs to the caller's callback
 * (arena or receive-buffer memory) is copied before the hand-over. Counters read by other threads are written
 * with opaque stores (single writer, no tearing, no fence).
 *
 * <h2>Heap data</h2>
 * A {@code Channel} only sends direct buffers, so heap data ({@code byte[]}, heap ByteBuffers, strings) is copied
 * into a per-connection direct staging buffer when its send is issued (in pieces if it is larger). The caller
 * must not modify heap data it passed until its {@code sendComplete}.
 *
 * <h2>Parts</h2>
 * The write queue and staging are {@link OutboundQueue}, the rate limit {@link SendRateLimiter}, the timed
 * responses {@link ResponseTimings}; this class keeps the lifecycle, the callbacks and the {@link Transport}.
 * The remaining parts stay in one class (about 950 lines) because they read and change the same event-thread
 * state (the close state, the context, the receive buffer, whether the running callback asked to close), whose
 * transitions must be read together.
 */
public final class Connection extends MemberTable.Member implements ConnectionHandler, Transport {
    private static final Object FAILED = new Object(); // sentinel: the callback threw (already handled)

    private static final int OPEN = 0, CLOSING = 1, CLOSE_ISSUED = 2, CLOSED = 3;

    private static final VarHandle BYTES_IN, BYTES_OUT, SENDS_DONE, STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES_IN = l.findVarHandle(Connection.class, "bytesReceived", long.class);
            BYTES_OUT = l.findVarHandle(Connection.class, "bytesSent", long.class);
            SENDS_DONE = l.findVarHandle(Connection.class, "sendsCompleted", long.class);
            STATE = l.findVarHandle(Connection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What runs on the event thread, so that one method ({@link #onEvent}) does the enter / catch internal error /
     * exit around all of them, with primitive arguments and no object per event.
     */
    private enum Event {
        OPENED("opened"), RECEIVED("received"), INPUT_CLOSED("inputClosed"), SEND_COMPLETED("sendCompleted"),
        IO_FAILED("failed"), CLOSED("closed"), IDLE_CHECK("idleCheck"), RATE_FLUSH("rateFlush"), WRITE("write"),
        TRANSPORT_CALL("transport call");

        final String where;

        Event(String where) {
            this.where = where;
        }
    }

    final PxCore core;
    final Protocol protocol;
    final ProtocolOptions opts;
    final ServerImpl server;
    private final ClientImpl client;
    private final InetSocketAddress connectTo;
    private final OutboundQueue out;
    private final SendRateLimiter rate;   // null without a rate limit
    private ResponseTimings timings;  // null while no timed response waits
    private long outputBase;          // the queue's end when the running callback began: its output starts here

    private Channel ch;
    private volatile long id = -1;
    private volatile boolean opened;
    private InetSocketAddress local, remote;
    private long openedNanos;
    private ContextImpl ctx;
    private Thread eventThread;

    // ---- receive side
    private final boolean lean;       // holds a receive buffer only while reading or keeping bytes
    private int recvSize;
    private ByteBuffer recvBuf;       // null while a lean connection waits for data
    private ByteBuffer recvView;      // what dataReceived sees (the buffer itself, flipped); marks a zero-copy echo
    private LinesFramer framer;
    private boolean readPending;
    private boolean inputShut;
    private boolean paused;           // back-pressure
    private long lastReadNanos;       // idle timeout: the last read completion, or the open
    private long receivedAt;          // the last read completion's clock (receivedNanos); 0 before the first
    private Cancellable idleTimer;

    private boolean outputShutQueued;
    private int state;                // OPEN..CLOSED; written on the event thread, read anywhere (opaque)
    private boolean closedInCallback; // close() was called by the running callback: its own output still goes
    private boolean connectionClosedCalled;

    @SuppressWarnings("unused") private long bytesReceived;
    @SuppressWarnings("unused") private long bytesSent;
    @SuppressWarnings("unused") private long sendsCompleted;

    Connection(PxCore core, Protocol protocol, ProtocolOptions opts, ServerImpl server, ClientImpl client,
               InetSocketAddress connectTo) {
        this.core = core;
        this.protocol = protocol;
        this.opts = opts;
        this.server = server;
        this.client = client;
        this.connectTo = connectTo;
        this.out = new OutboundQueue(core.spares);
        long bytesPerSecond = opts.rateLimitBytesPerSecond();
        this.rate = bytesPerSecond > 0 ? new SendRateLimiter(bytesPerSecond) : null;
        // LOW_LATENCY reads again right after each send (nio) and keeps its receive posted with a buffer
        // (windows): it keeps its receive buffer for its life. The other modes borrow one per read.
        this.lean = opts.ioMode() != IoMode.LOW_LATENCY;
    }

    static ProtocolOptions optionsOf(Protocol p) {
        ProtocolOptions o = p.options();
        return o == null ? ProtocolOptions.DEFAULT : o;
    }

    boolean isOpened() {
        return opened;
    }

    // =================================================================== ConnectionHandler (event thread)

    @Override
    public void opened(Channel channel) {
        onEvent(Event.OPENED, 0, 0, channel);
    }

    @Override
    public void received(int bytes, long readyNanos) {
        onEvent(Event.RECEIVED, bytes, readyNanos, null);
    }

    @Override
    public void inputClosed() {
        onEvent(Event.INPUT_CLOSED, 0, 0, null);
    }

    @Override
    public ByteBuffer receiveBuffer() {
        if (recvBuf == null && !takeReceiveBuffer()) {
            return null;
        }
        return recvBuf;
    }

    @Override
    public void receiveBufferUnused() {
        if (lean && recvBuf != null && (framer == null || framer.partialLength() == 0)) {
            releaseReceiveBuffer();
        }
    }

    /**
     * Borrows a receive buffer from the pool (on a loop thread, the one that loop read into last). False when the
     * JVM's direct memory is exhausted: counted and logged as a refusal, the caller gives up on the connection.
     */
    private boolean takeReceiveBuffer() {
        ByteBuffer b;
        try {
            b = core.buffers.acquire(recvSize);
        } catch (OutOfMemoryError e) {
            core.memoryRefused("connection " + id + " (" + remote + "): no direct memory for a " + recvSize
                    + "-byte receive buffer; closing the connection", e);
            return false;
        }
        // dataReceived sees the buffer itself, flipped: no view object per connection. The core reads its
        // position only when a read completes, before the callback, and clears it before the next read.
        recvBuf = recvView = b;
        out.receiveBuffer(b, recvView, DirectMemory.address(b));
        if (framer != null) {
            framer.reset(b);
        }
        return true;
    }

    /** A lean connection that keeps no bytes gives its receive buffer back until the next read has data. */
    private void releaseReceiveBuffer() {
        core.buffers.release(recvBuf);
        recvBuf = recvView = null;
        out.receiveBuffer(null, null, 0);
    }

    @Override
    public void sendCompleted(long bytes) {
        onEvent(Event.SEND_COMPLETED, bytes, 0, null);
    }

    @Override
    public void failed(Throwable cause) {
        onEvent(Event.IO_FAILED, 0, 0, cause);
    }

    @Override
    public void closed() {
        onEvent(Event.CLOSED, 0, 0, null);
    }

    /** Runs one event on the event thread: marks the thread as the owner, and contains the core's own errors. */
    private void onEvent(Event event, long a, long b, Object o) {
        eventThread = Thread.currentThread();
        try {
            switch (event) {
                case OPENED -> doOpened((Channel) o);
                case RECEIVED -> doReceived((int) a, b);
                case INPUT_CLOSED -> doInputClosed();
                case SEND_COMPLETED -> doSendCompleted(a);
                case IO_FAILED -> doFailed((Throwable) o);
                case CLOSED -> doClosed();
                case IDLE_CHECK -> idleCheck();
                case RATE_FLUSH -> rateFlush();
                case WRITE -> {
                    enqueue(o, "write", false);
                    flush();
                    maybeRead();
                }
                case TRANSPORT_CALL -> {
                    ((Runnable) o).run();
                    if (state < CLOSE_ISSUED) {
                        flush();
                        maybeRead();
                    }
                }
                default -> throw new AssertionError(event);
            }
        } catch (OutOfMemoryError e) {
            // Direct memory ran out (a staging buffer, an arena chunk): refuse this connection, keep the server.
            core.memoryRefused("connection " + id + " (" + remote + "): out of memory in " + event.where
                    + "; closing the connection", e);
            if (event != Event.CLOSED) {
                internalError(event.where, null);
            }
        } catch (Throwable t) {
            if (event == Event.CLOSED) {
                PxCore.LOG.error("connection {}: internal error in closed()", id, t);
            } else {
                internalError(event.where, t);
            }
        } finally {
            eventThread = null;
        }
    }

    private void doOpened(Channel channel) {
        ch = channel;
        id = channel.id();
        local = channel.localAddress();
        remote = channel.remoteAddress();
        openedNanos = lastReadNanos = System.nanoTime();
        ctx = core.borrowContext();
        ctx.transport(this);
        recvSize = opts.linesMode() ? Math.max(opts.receiveBufferSize(), opts.maxLineLength() + 2)
                : opts.receiveBufferSize();
        out.attach(ctx);
        if (opts.linesMode()) {
            framer = new LinesFramer(opts.maxLineLength());
        }
        if (!lean && !takeReceiveBuffer()) {
            STATE.setOpaque(this, CLOSE_ISSUED);
            channel.close(true);
            return;
        }
        channel.options(opts);
        opened = true;
        core.connectionOpened(this);
        if (server != null) {
            server.connectionOpened();
        }
        if (client != null && client.closeRequested) {
            client.connected.completeExceptionally(new PxException("client closed before it connected"));
            abort();
            return;
        }
        if (invoke(ProtocolCallback.CONNECTION_MADE, 0) == FAILED) {
            return;
        }
        Object first = invoke(ProtocolCallback.INITIAL_BYTES, 0);
        if (first != FAILED) {
            enqueue(first, "initialBytesToSend", true);
        }
        if (client != null) {
            client.connected.complete(this);
        }
        if (opts.idleTimeout() != null) {
            armIdle(opts.idleTimeout().toNanos());
        }
        afterCallback();
    }

    @Override
    public void connectFailed(Throwable cause) {
        core.errors.increment();
        ContextImpl c = core.borrowContext();
        try {
            c.enter();
            core.callbacksRun.increment();
            protocol.connectFailed(c, connectTo, cause);
        } catch (Throwable t) {
            core.report("client to " + connectTo + ": Protocol.connectFailed threw", t);
        } finally {
            c.exit();
            core.releaseContext(c);
        }
        if (client != null) {
            client.connected.completeExceptionally(cause);
        }
    }

    private void doReceived(int bytes, long readyNanos) {
        readPending = false;
        receivedAt = lastReadNanos = readyNanos; // every request this read completes starts here
        BYTES_IN.setOpaque(this, (long) BYTES_IN.getOpaque(this) + bytes);
        core.bytesIn.add(bytes);
        if (state != OPEN) {
            return; // closing: nobody listens any more
        }
        if (framer == null) {
            recvView.limit(recvBuf.position()).position(0);
            Object r = invoke(ProtocolCallback.DATA_RECEIVED, 0);
            if (r != FAILED) {
                enqueue(r, "dataReceived", true);
            }
        } else {
            deliverLines(framer.frame());
            if (framer.tooLong() && state == OPEN) {
                userError("linesReceived", new PxException("connection " + id + ": line longer than"
                        + " maxLineLength (" + opts.maxLineLength() + " bytes)"));
            }
        }
        afterCallback();
    }

    private void deliverLines(int n) {
        if (n == 0 || state != OPEN) {
            return;
        }
        Object r = invoke(ProtocolCallback.LINES_RECEIVED, 0);
        if (r != FAILED) {
            enqueue(r, "linesReceived", true);
        }
    }

    private void doInputClosed() {
        readPending = false;
        inputShut = true;
        if (state == OPEN && framer != null) {
            deliverLines(framer.frameRemainder());
        }
        if (state == OPEN) {
            invoke(ProtocolCallback.INPUT_SHUTDOWN, 0);
        }
        afterCallback();
    }

    private void doSendCompleted(long bytes) {
        BYTES_OUT.setOpaque(this, (long) BYTES_OUT.getOpaque(this) + bytes);
        core.bytesOut.add(bytes);
        int done = out.completed();
        if (timings != null && timings.due(out.sentEnd())) {
            reportSent();
        }
        for (int i = 0; i < done && state < CLOSE_ISSUED; i++) {
            long sendId = out.completedId(i);
            SENDS_DONE.setOpaque(this, sendId);
            Object r = invoke(ProtocolCallback.SEND_COMPLETE, sendId);
            if (r != FAILED) {
                enqueue(r, "sendComplete", true);
            }
        }
        afterCallback();
        out.releaseIfIdle();
    }

    private void doFailed(Throwable cause) {
        readPending = false;
        out.sendAbandoned();
        if (state >= CLOSE_ISSUED) {
            return; // the close we asked for is failing outstanding operations
        }
        core.errors.increment();
        exceptionCaught("io", cause);
        if (PxCore.LOG.isDebugEnabled()) {
            PxCore.LOG.debug("connection {} ({}): I/O failed: {}", id, remote, cause.toString());
        }
        abort();
    }

    private void doClosed() {
        if (state == CLOSED) {
            return;
        }
        STATE.setOpaque(this, CLOSED);
        readPending = false;
        out.sendAbandoned();
        cancelTimers();
        dropQueue();
        out.forgetPooledEntries();
        if (opened && !connectionClosedCalled) {
            connectionClosedCalled = true;
            invoke(ProtocolCallback.CONNECTION_CLOSED, 0);
        }
        if (client != null && !client.connected.isDone()) {
            client.connected.completeExceptionally(new PxException("connection closed before it was made"));
        }
        if (ctx != null) {
            core.releaseContext(ctx);
            ctx = null;
        }
        core.buffers.release(recvBuf);
        out.closed();
        recvBuf = recvView = null;
        if (opened) {
            core.connectionClosed(this);
        }
    }

    // =================================================================== callbacks

    /** Runs one protocol callback in the connection's context; exceptions are handled and yield FAILED. */
    private Object invoke(ProtocolCallback which, long arg) {
        ContextImpl c = ctx;
        core.callbacksRun.increment();
        closedInCallback = false;
        outputBase = out.queuedEnd();
        int timedBefore = timings == null ? 0 : timings.count();
        c.enter();
        try {
            switch (which) {
                case CONNECTION_MADE:
                    protocol.connectionMade(c, this);
                    return null;
                case INITIAL_BYTES:
                    return protocol.initialBytesToSend(c, this);
                case DATA_RECEIVED:
                    return protocol.dataReceived(c, this, recvView);
                case LINES_RECEIVED:
                    return protocol.linesReceived(c, this, framer);
                case SEND_COMPLETE:
                    return protocol.sendComplete(c, this, arg);
                case INPUT_SHUTDOWN:
                    protocol.inputShutdown(c, this);
                    return null;
                case CONNECTION_CLOSED:
                    protocol.connectionClosed(c, this);
                    return null;
                default:
                    throw new AssertionError(which);
            }
        } catch (Throwable t) {
            c.exit();
            if (timings != null) { // its output is not sent: its timed responses never will be
                timings.rollback(timedBefore);
                releaseTimingsIfEmpty();
            }
            userError(which.method, t);
            return FAILED;
        } finally {
            c.exit();
        }
    }

    /** Reports every timed response the sends so far have finished, with one clock read for all of them. */
    private void reportSent() {
        long now = System.nanoTime();
        ContextImpl c = ctx;
        while (timings != null && timings.due(out.sentEnd()) && state != CLOSED) {
            timings.poll();
            long start = timings.polledStart();
            int tag = timings.polledTag();
            releaseTimingsIfEmpty();
            core.callbacksRun.increment();
            c.enter();
            try {
                protocol.responseSent(c, this, start, now, tag);
            } catch (Throwable t) {
                c.exit();
                userError("responseSent", t);
                return;
            } finally {
                c.exit();
            }
        }
    }

    /** A user callback (or framing on its behalf) failed: count, exceptionCaught, report, close this connection. */
    private void userError(String callback, Throwable t) {
        core.errors.increment();
        exceptionCaught(callback, t);
        core.report("connection " + id + " (" + remote + "): " + callback + " failed; closing the connection", t);
        if (state != CLOSED) {
            close();
        }
    }

    /** Runs Protocol.exceptionCaught; its own exceptions are logged and ignored. */
    private void exceptionCaught(String callback, Throwable cause) {
        ContextImpl c = ctx;
        if (c == null) {
            return;
        }
        boolean nested = c.inCallback();
        if (!nested) {
            c.enter();
        }
        try {
            core.callbacksRun.increment();
            protocol.exceptionCaught(c, this, callback, cause);
        } catch (Throwable t) {
            core.report("connection " + id + " (" + remote + "): exceptionCaught threw (ignored)", t);
        } finally {
            if (!nested) {
                c.exit();
            }
        }
    }

    /** A bug in the core or the backend: never let it escape into a backend thread; kill only this connection. */
    private void internalError(String where, Throwable t) {
        if (t != null) {
            core.errors.increment();
            PxCore.LOG.error("connection {} ({}): internal error in {}", id, remote, where, t);
        }
        try {
            if (state < CLOSE_ISSUED && ch != null) {
                STATE.setOpaque(this, CLOSE_ISSUED);
                ch.close(true);
            }
        } catch (Throwable t2) {
            PxCore.LOG.error("connection {}: close after internal error failed", id, t2);
        }
    }

    /** After every event: roll the arena back if nothing pins it, then issue the next send and read. */
    private void afterCallback() {
        if (ctx != null && ctx.pins() == 0) {
            ctx.rollback();
        }
        flush();
        maybeRead();
    }

    // =================================================================== reads and timers

    private void maybeRead() {
        if (lean && recvBuf != null && !readPending && out.echoSends() == 0
                && (framer == null || framer.partialLength() == 0)) {
            // Kept no bytes: also a connection paused by back-pressure, half-closed or closing holds none.
            releaseReceiveBuffer();
        }
        if (state != OPEN || readPending || inputShut || out.echoSends() > 0 || ch == null) {
            return;
        }
        long pending = out.pendingBytes();
        if (paused) {
            if (pending > opts.sendHighWaterMark() / 2) {
                return;
            }
            paused = false;
        } else if (pending > opts.sendHighWaterMark()) {
            paused = true;
            return;
        }
        readPending = true;
        if (recvBuf == null) {
            ch.read(null); // the backend asks receiveBuffer() when bytes are there
            return;
        }
        if (framer != null) {
            framer.compact();
        } else {
            recvBuf.clear();
        }
        ch.read(recvBuf);
    }

    private void armIdle(long nanos) {
        idleTimer = ch.schedule(() -> onEvent(Event.IDLE_CHECK, 0, 0, null), nanos);
    }

    private void idleCheck() {
        if (state != OPEN) {
            return;
        }
        long idle = opts.idleTimeout().toNanos();
        long quiet = System.nanoTime() - lastReadNanos;
        if (quiet >= idle) {
            if (PxCore.LOG.isDebugEnabled()) {
                PxCore.LOG.debug("connection {} ({}): idle timeout", id, remote);
            }
            close();
        } else {
            armIdle(idle - quiet);
        }
    }

    private void cancelTimers() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        if (rate != null) {
            rate.cancel();
        }
    }

    // =================================================================== sends

    /**
     * Queues what a callback returned or what was written. Runs on the event thread.
     *
     * @param ownCallback true when the data comes from this connection's own callback (so arena memory of its
     *                    context can be pinned rather than copied)
     */
    void enqueue(Object data, String source, boolean ownCallback) {
        if (data == null) {
            return;
        }
        // While closing gracefully, only the callback that asked for the close may still add output (so
        // "write a goodbye and close" works); later output, e.g. a chargen sendComplete, is dropped.
        if ((state != OPEN && !(state == CLOSING && closedInCallback && ownCallback)) || outputShutQueued) {
            if (PxCore.LOG.isDebugEnabled()) {
                PxCore.LOG.debug("connection {}: {} data dropped, connection is closing or output shut down",
                        id, source);
            }
            return;
        }
        if (!out.add(data)) {
            userError(source, new PxException("connection " + id + ": " + source + " returned an unsupported type "
                    + data.getClass().getName() + "; return null, byte[], ByteBuffer, ByteBuffer[], ArenaBuffer,"
                    + " CharSequence or FileRegion"));
        }
    }

    /** Issues the next send if none is outstanding; closes when a graceful close has drained the queue. */
    private void flush() {
        if (out.sendInFlight() || state >= CLOSE_ISSUED || ch == null) {
            return;
        }
        while (out.pollShutdown()) {
            ch.shutdownOutput();
        }
        if (out.isEmpty()) {
            if (state == CLOSING) {
                issueClose(false);
            }
            return;
        }
        long budget = Long.MAX_VALUE;
        long now = 0;
        if (rate != null) {
            now = System.nanoTime();
            long delay = rate.delay(now);
            if (delay > 0) {
                if (!rate.timerArmed()) {
                    rate.timerArmed(ch.schedule(() -> onEvent(Event.RATE_FLUSH, 0, 0, null), delay));
                }
                return;
            }
            budget = rate.budget();
        }
        long sent = out.headIsFile() ? out.issueFile(ch) : out.issueGather(ch, budget);
        if (rate != null) {
            rate.sent(now, sent);
        }
    }

    private void rateFlush() {
        rate.timerFired();
        flush();
        maybeRead();
    }

    private void issueClose(boolean abortive) {
        if (state >= CLOSE_ISSUED) {
            return;
        }
        STATE.setOpaque(this, CLOSE_ISSUED);
        cancelTimers();
        if (abortive) {
            dropQueue();
        }
        ch.close(abortive);
    }

    private void dropQueue() {
        if (timings != null) {
            timings.clear(); // what they waited for will not be sent
            releaseTimingsIfEmpty();
        }
        out.drop();
    }

    /** True while the connection keeps sending state: response timings, free queue entries, a gather array. */
    boolean holdsSendState() {
        return timings != null || out.holdsSpares();
    }

    /** No timed response waits: on a loop thread the timings go back to its spares, so idle connections hold none. */
    private void releaseTimingsIfEmpty() {
        if (timings.isEmpty()) {
            Spares.Stash s = core.spares.stash();
            if (s != null && s.giveTimings(timings)) {
                timings = null;
            }
        }
    }

    // =================================================================== Transport (any thread)

    private boolean onEventThread() {
        return Thread.currentThread() == eventThread;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean isClient() {
        return client != null;
    }

    @Override
    public void write(Object data) {
        if (data == null) {
            return;
        }
        if (onEventThread()) {
            enqueue(data, "write", true);
            flushFromUser();
            return;
        }
        Object copy = detach(data);
        Channel c = ch;
        if (c == null || (int) STATE.getOpaque(this) >= CLOSING) {
            return;
        }
        c.execute(() -> onEvent(Event.WRITE, 0, 0, copy));
    }

    /** Inside a callback the send is issued when the callback returns; outside (execute tasks) right away. */
    private void flushFromUser() {
        if (ctx == null || !ctx.inCallback()) {
            flush();
            maybeRead();
        }
    }

    /**
     * Data written from another thread may belong to the caller's callback (its arena, or a receive buffer of
     * another connection): copy it now, while it is still valid, so the hand-over cannot see it rolled back.
     */
    private Object detach(Object data) {
        if (data instanceof ArenaBuffer a) {
            return a.toByteArray();
        }
        if (data instanceof ByteBuffer b) {
            return detach(b);
        }
        if (data instanceof ByteBuffer[] bs) {
            ByteBuffer[] copy = new ByteBuffer[bs.length];
            for (int i = 0; i < bs.length; i++) {
                copy[i] = bs[i] == null ? null : detach(bs[i]);
            }
            return copy;
        }
        return data;
    }

    private ByteBuffer detach(ByteBuffer b) {
        if (!b.isDirect() || !core.registry.contains(b)) {
            return b;
        }
        byte[] copy = new byte[b.remaining()];
        b.get(b.position(), copy);
        return ByteBuffer.wrap(copy);
    }

    @Override
    public void write(ByteBuffer... buffers) {
        write((Object) buffers);
    }

    @Override
    public void writeFile(Path path, long offset, long length) {
        write(FileRegion.of(path, offset, length));
    }

    @Override
    public void close() {
        runOwned(this::closeNow);
    }

    private void closeNow() {
        if (state != OPEN) {
            return;
        }
        STATE.setOpaque(this, CLOSING);
        closedInCallback = ctx != null && ctx.inCallback();
        flushFromUser(); // closes at once if nothing is pending
    }

    @Override
    public void abort() {
        runOwned(() -> issueClose(true));
    }

    @Override
    public void shutdownOutput() {
        runOwned(() -> {
            if (state != OPEN || outputShutQueued) {
                return;
            }
            out.addShutdown();
            outputShutQueued = true;
            flushFromUser();
        });
    }

    /** Runs a state change on the event thread: inline when already there, else handed over. */
    private void runOwned(Runnable op) {
        if (onEventThread()) {
            op.run();
            return;
        }
        Channel c = ch;
        if (c == null || (int) STATE.getOpaque(this) >= CLOSE_ISSUED) {
            return;
        }
        c.execute(() -> onEvent(Event.TRANSPORT_CALL, 0, 0, op));
    }

    @Override
    public boolean isOpen() {
        return opened && (int) STATE.getOpaque(this) == OPEN;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public long bytesReceived() {
        return (long) BYTES_IN.getOpaque(this);
    }

    @Override
    public long bytesSent() {
        return (long) BYTES_OUT.getOpaque(this);
    }

    @Override
    public long sendsCompleted() {
        return (long) SENDS_DONE.getOpaque(this);
    }

    @Override
    public long pendingSendBytes() {
        return out.pendingBytes();
    }

    @Override
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - openedNanos);
    }

    @Override
    public long receivedNanos() {
        return receivedAt;
    }

    @Override
    public void timeResponse(long outputBytes, long startNanos, int tag) {
        ContextImpl c = ctx;
        if (!onEventThread() || c == null || !c.inCallback()) {
            throw new IllegalStateException("Transport.timeResponse is for this connection's own callbacks"
                    + " (connection " + id + ", called on " + Thread.currentThread().getName() + ")");
        }
        if (outputBytes < 0) {
            throw new IllegalArgumentException("outputBytes < 0: " + outputBytes);
        }
        if (timings == null) {
            timings = core.spares.takeTimings();
        }
        timings.add(outputBase + outputBytes, startNanos, tag);
    }

    @Override
    public TlsInfo tls() {
        Channel c = ch;
        return c == null ? null : c.tls();
    }

    @Override
    public String toString() {
        return "Connection#" + id + "[" + local + " <-> " + remote + ", state=" + state + "]";
    }
}

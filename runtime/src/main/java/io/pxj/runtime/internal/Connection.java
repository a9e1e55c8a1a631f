package io.pxj.runtime.internal;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.PxException;
import io.pxj.runtime.Transport;
import io.pxj.runtime.Cancellable;
import io.pxj.runtime.spi.Channel;
import io.pxj.runtime.spi.ConnectionHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The protocol state machine of one connection, shared by every backend: the core's {@link ConnectionHandler}
 * and the user's {@link Transport}.
 *
 * <h2>What it does</h2>
 * Demand-driven reads (one {@link Channel#read} at a time, into a per-connection direct receive buffer), bytes or
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
 */
public final class Connection implements ConnectionHandler, Transport {
    private static final int MAX_GATHER = 64;
    private static final int STAGING_SIZE = 64 * 1024;
    private static final Object FAILED = new Object(); // sentinel: the callback threw (already handled)

    private static final int OPEN = 0, CLOSING = 1, CLOSE_ISSUED = 2, CLOSED = 3;

    private static final VarHandle BYTES_IN, BYTES_OUT, SENDS_DONE, PENDING, STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES_IN = l.findVarHandle(Connection.class, "bytesReceived", long.class);
            BYTES_OUT = l.findVarHandle(Connection.class, "bytesSent", long.class);
            SENDS_DONE = l.findVarHandle(Connection.class, "sendsCompleted", long.class);
            PENDING = l.findVarHandle(Connection.class, "pendingSendBytes", long.class);
            STATE = l.findVarHandle(Connection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final PxCore core;
    final Protocol protocol;
    final ProtocolOptions opts;
    final ServerImpl server;
    private final ClientImpl client;
    private final InetSocketAddress connectTo;

    private Channel ch;
    private volatile long id = -1;
    private volatile boolean opened;
    private InetSocketAddress local, remote;
    private long openedNanos;
    private ContextImpl ctx;
    private Thread eventThread;

    // ---- receive side
    private ByteBuffer recvBuf;
    private ByteBuffer recvView;      // what dataReceived sees; identity marks a zero-copy echo
    private long recvAddr;            // address range of recvBuf, to recognise views of it
    private LinesFramer framer;
    private boolean readPending;
    private boolean inputShut;
    private boolean paused;           // back-pressure
    private int echoSends;            // queued/in-flight sends that read the receive buffer: no read until done
    private long lastReadNanos;       // idle timeout: the last read completion, or the open
    private long receivedAt;          // the last read completion's clock (receivedNanos); 0 before the first
    private Cancellable idleTimer;

    // ---- send side
    private Entry head, tail, freeEntries;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private int gatherUsed; // entries of gather set by the send in flight (cleared when it completes)
    private ByteBuffer staging;
    private ByteBuffer[] stagingViews;
    private boolean sendInFlight;
    private int inflightEntries;
    private long nextSendId;
    private long[] completedIds = new long[8];
    private boolean outputShutQueued;
    private long nextSendNanos;       // rate limit: earliest start of the next send
    private Cancellable rateTimer;

    // ---- response timing: positions in the outbound byte stream (entry lengths, as the queue accounts them)
    private long queuedEnd;           // bytes ever appended to the queue
    private long sentEnd;             // bytes whose send completed
    private long outputBase;          // queuedEnd when the running callback began: its output starts here
    private long[] timedEnd, timedStart; // ring of timed responses, oldest at timedHead
    private int[] timedTag;
    private int timedHead, timedCount;

    private int state;                // OPEN..CLOSED; written on the event thread, read anywhere (opaque)
    private boolean closedInCallback; // close() was called by the running callback: its own output still goes
    private boolean connectionClosedCalled;

    @SuppressWarnings("unused") private long bytesReceived;
    @SuppressWarnings("unused") private long bytesSent;
    @SuppressWarnings("unused") private long sendsCompleted;
    @SuppressWarnings("unused") private long pendingSendBytes;

    Connection(PxCore core, Protocol protocol, ProtocolOptions opts, ServerImpl server, ClientImpl client,
               InetSocketAddress connectTo) {
        this.core = core;
        this.protocol = protocol;
        this.opts = opts;
        this.server = server;
        this.client = client;
        this.connectTo = connectTo;
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
        eventThread = Thread.currentThread();
        try {
            ch = channel;
            id = channel.id();
            local = channel.localAddress();
            remote = channel.remoteAddress();
            openedNanos = lastReadNanos = System.nanoTime();
            ctx = core.borrowContext();
            ctx.transport(this);
            int size = opts.linesMode() ? Math.max(opts.receiveBufferSize(), opts.maxLineLength() + 2)
                    : opts.receiveBufferSize();
            recvBuf = core.buffers.acquire(size);
            recvView = recvBuf.duplicate();
            recvAddr = DirectMemory.address(recvBuf);
            if (opts.linesMode()) {
                framer = new LinesFramer(opts.maxLineLength());
                framer.reset(recvBuf);
            }
            channel.options(opts);
            opened = true;
            core.connectionOpened(this);
            if (server != null) server.connectionOpened();
            if (client != null && client.closeRequested) {
                client.connected.completeExceptionally(new PxException("client closed before it connected"));
                abort();
                return;
            }
            if (invoke(CONNECTION_MADE, 0) == FAILED) return;
            Object first = invoke(INITIAL_BYTES, 0);
            if (first != FAILED) enqueue(first, "initialBytesToSend", true);
            if (client != null) client.connected.complete(this);
            if (opts.idleTimeout() != null) armIdle(opts.idleTimeout().toNanos());
            afterCallback();
        } catch (Throwable t) {
            internalError("opened", t);
        } finally {
            eventThread = null;
        }
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
        if (client != null) client.connected.completeExceptionally(cause);
    }

    @Override
    public void received(int bytes, long readyNanos) {
        eventThread = Thread.currentThread();
        try {
            readPending = false;
            receivedAt = lastReadNanos = readyNanos; // every request this read completes starts here
            BYTES_IN.setOpaque(this, (long) BYTES_IN.getOpaque(this) + bytes);
            core.bytesIn.add(bytes);
            if (state != OPEN) return; // closing: nobody listens any more
            if (framer == null) {
                recvView.limit(recvBuf.position()).position(0);
                Object r = invoke(DATA_RECEIVED, 0);
                if (r != FAILED) enqueue(r, "dataReceived", true);
            } else {
                deliverLines(framer.frame());
                if (framer.tooLong() && state == OPEN) {
                    userError("linesReceived", new PxException("connection " + id + ": line longer than"
                            + " maxLineLength (" + opts.maxLineLength() + " bytes)"));
                }
            }
            afterCallback();
        } catch (Throwable t) {
            internalError("received", t);
        } finally {
            eventThread = null;
        }
    }

    private void deliverLines(int n) {
        if (n == 0 || state != OPEN) return;
        Object r = invoke(LINES_RECEIVED, 0);
        if (r != FAILED) enqueue(r, "linesReceived", true);
    }

    @Override
    public void inputClosed() {
        eventThread = Thread.currentThread();
        try {
            readPending = false;
            inputShut = true;
            if (state == OPEN && framer != null) deliverLines(framer.frameRemainder());
            if (state == OPEN) invoke(INPUT_SHUTDOWN, 0);
            afterCallback();
        } catch (Throwable t) {
            internalError("inputClosed", t);
        } finally {
            eventThread = null;
        }
    }

    @Override
    public void sendCompleted(long bytes) {
        eventThread = Thread.currentThread();
        try {
            sendInFlight = false;
            BYTES_OUT.setOpaque(this, (long) BYTES_OUT.getOpaque(this) + bytes);
            core.bytesOut.add(bytes);
            Arrays.fill(gather, 0, gatherUsed, null); // do not retain user buffers
            gatherUsed = 0;
            int done = 0;
            for (int i = inflightEntries; i > 0 && head != null; i--) {
                Entry e = head;
                e.done += e.staged;
                sentEnd += e.staged;
                PENDING.setOpaque(this, (long) PENDING.getOpaque(this) - e.staged);
                e.staged = 0;
                if (e.done < e.len) break; // partially sent: stays at the head
                head = e.next;
                if (head == null) tail = null;
                if (e.sendId > 0) {
                    if (done == completedIds.length) completedIds = Arrays.copyOf(completedIds, done * 2);
                    completedIds[done++] = e.sendId;
                }
                release(e);
            }
            inflightEntries = 0;
            if (timedCount > 0 && timedEnd[timedHead] <= sentEnd) reportSent();
            for (int i = 0; i < done && state < CLOSE_ISSUED; i++) {
                SENDS_DONE.setOpaque(this, completedIds[i]);
                Object r = invoke(SEND_COMPLETE, completedIds[i]);
                if (r != FAILED) enqueue(r, "sendComplete", true);
            }
            afterCallback();
            if (!sendInFlight && head == null && staging != null) {
                // Idle connections should not each hold a staging buffer: hand it back to the shared pool.
                core.buffers.release(staging);
                staging = null;
                Arrays.fill(stagingViews, null);
            }
        } catch (Throwable t) {
            internalError("sendCompleted", t);
        } finally {
            eventThread = null;
        }
    }

    @Override
    public void failed(Throwable cause) {
        eventThread = Thread.currentThread();
        try {
            readPending = false;
            sendInFlight = false;
            if (state >= CLOSE_ISSUED) return; // the close we asked for is failing outstanding operations
            core.errors.increment();
            ctxCall(() -> protocol.exceptionCaught(ctx, this, "io", cause), "exceptionCaught");
            if (PxCore.LOG.isDebugEnabled()) {
                PxCore.LOG.debug("connection {} ({}): I/O failed: {}", id, remote, cause.toString());
            }
            abort();
        } catch (Throwable t) {
            internalError("failed", t);
        } finally {
            eventThread = null;
        }
    }

    @Override
    public void closed() {
        eventThread = Thread.currentThread();
        try {
            if (state == CLOSED) return;
            STATE.setOpaque(this, CLOSED);
            readPending = false;
            sendInFlight = false;
            cancelTimers();
            dropQueue();
            freeEntries = null; // pooled entries may hold a view of the arena chunk that goes back to the pool now
            timedCount = 0;
            if (opened && !connectionClosedCalled) {
                connectionClosedCalled = true;
                invoke(CONNECTION_CLOSED, 0);
            }
            if (client != null && !client.connected.isDone()) {
                client.connected.completeExceptionally(new PxException("connection closed before it was made"));
            }
            if (ctx != null) {
                core.releaseContext(ctx);
                ctx = null;
            }
            core.buffers.release(recvBuf);
            core.buffers.release(staging);
            recvBuf = recvView = staging = null;
            stagingViews = null;
            if (opened) core.connectionClosed(this);
        } catch (Throwable t) {
            PxCore.LOG.error("connection {}: internal error in closed()", id, t);
        } finally {
            eventThread = null;
        }
    }

    // =================================================================== callbacks

    private static final int CONNECTION_MADE = 0, INITIAL_BYTES = 1, DATA_RECEIVED = 2, LINES_RECEIVED = 3,
            SEND_COMPLETE = 4, INPUT_SHUTDOWN = 5, CONNECTION_CLOSED = 6;
    private static final String[] NAMES = {"connectionMade", "initialBytesToSend", "dataReceived", "linesReceived",
            "sendComplete", "inputShutdown", "connectionClosed"};

    /** Runs one protocol callback in the connection's context; exceptions are handled and yield FAILED. */
    private Object invoke(int which, long arg) {
        ContextImpl c = ctx;
        core.callbacksRun.increment();
        closedInCallback = false;
        outputBase = queuedEnd;
        int timedBefore = timedCount;
        c.enter();
        try {
            switch (which) {
                case CONNECTION_MADE: protocol.connectionMade(c, this); return null;
                case INITIAL_BYTES: return protocol.initialBytesToSend(c, this);
                case DATA_RECEIVED: return protocol.dataReceived(c, this, recvView);
                case LINES_RECEIVED: return protocol.linesReceived(c, this, framer);
                case SEND_COMPLETE: return protocol.sendComplete(c, this, arg);
                case INPUT_SHUTDOWN: protocol.inputShutdown(c, this); return null;
                case CONNECTION_CLOSED: protocol.connectionClosed(c, this); return null;
                default: throw new AssertionError(which);
            }
        } catch (Throwable t) {
            c.exit();
            timedCount = timedBefore; // its output is not sent: its timed responses never will be
            userError(NAMES[which], t);
            return FAILED;
        } finally {
            c.exit();
        }
    }

    /** Reports every timed response the sends so far have finished, with one clock read for all of them. */
    private void reportSent() {
        long now = System.nanoTime();
        ContextImpl c = ctx;
        while (timedCount > 0 && timedEnd[timedHead] <= sentEnd && state != CLOSED) {
            int i = timedHead;
            timedHead = (i + 1) % timedEnd.length;
            timedCount--;
            core.callbacksRun.increment();
            c.enter();
            try {
                protocol.responseSent(c, this, timedStart[i], now, timedTag[i]);
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
        ctxCall(() -> protocol.exceptionCaught(ctx, this, callback, t), "exceptionCaught");
        core.report("connection " + id + " (" + remote + "): " + callback + " failed; closing the connection", t);
        if (state != CLOSED) close();
    }

    private interface UserCall {
        void run() throws Exception;
    }

    /** Runs exceptionCaught-like user code whose own exceptions are logged and ignored. */
    private void ctxCall(UserCall call, String name) {
        ContextImpl c = ctx;
        if (c == null) return;
        boolean nested = c.inCallback();
        if (!nested) c.enter();
        try {
            core.callbacksRun.increment();
            call.run();
        } catch (Throwable t) {
            core.report("connection " + id + " (" + remote + "): " + name + " threw (ignored)", t);
        } finally {
            if (!nested) c.exit();
        }
    }

    /** A bug in the core or the backend: never let it escape into a backend thread; kill only this connection. */
    private void internalError(String where, Throwable t) {
        core.errors.increment();
        PxCore.LOG.error("connection {} ({}): internal error in {}", id, remote, where, t);
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
        if (ctx != null && ctx.pins() == 0) ctx.rollback();
        flush();
        maybeRead();
    }

    // =================================================================== reads

    private void maybeRead() {
        if (state != OPEN || readPending || inputShut || echoSends > 0 || ch == null) return;
        long pending = (long) PENDING.getOpaque(this);
        if (paused) {
            if (pending > opts.sendHighWaterMark() / 2) return;
            paused = false;
        } else if (pending > opts.sendHighWaterMark()) {
            paused = true;
            return;
        }
        if (framer != null) framer.compact();
        else recvBuf.clear();
        readPending = true;
        ch.read(recvBuf);
    }

    private void armIdle(long nanos) {
        idleTimer = ch.schedule(this::idleCheck, nanos);
    }

    private void idleCheck() {
        eventThread = Thread.currentThread();
        try {
            if (state != OPEN) return;
            long idle = opts.idleTimeout().toNanos();
            long quiet = System.nanoTime() - lastReadNanos;
            if (quiet >= idle) {
                if (PxCore.LOG.isDebugEnabled()) PxCore.LOG.debug("connection {} ({}): idle timeout", id, remote);
                close();
            } else {
                armIdle(idle - quiet);
            }
        } catch (Throwable t) {
            internalError("idleCheck", t);
        } finally {
            eventThread = null;
        }
    }

    private void cancelTimers() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        if (rateTimer != null) {
            rateTimer.cancel();
            rateTimer = null;
        }
    }

    // =================================================================== the write queue

    private static final int DIRECT = 0, HEAP = 1, FILE = 2, SHUTDOWN = 3;

    /** One piece of a send. Pooled per connection: no garbage per write after warm-up. */
    private static final class Entry {
        int kind;
        ByteBuffer buf;       // DIRECT: the buffer; HEAP: a heap ByteBuffer source, or null when arr is used
        byte[] arr;           // HEAP source array
        int off;              // DIRECT: start position; HEAP: start in arr / buf
        int len;              // bytes of this piece
        int done;             // bytes sent
        int staged;           // bytes in the outstanding send
        FileRegion file;
        ContextImpl pinned;   // arena context held until sent
        // DIRECT arena pieces: a view of an arena chunk, made once per (entry, chunk) and re-pointed per send, so
        // returning an ArenaBuffer costs no slice object (the context keeps its standard chunk across callbacks,
        // so in steady state the chunk is the same one). Kept across release() only for that kept chunk; the
        // identity check on viewOf makes a stale view harmless.
        ByteBuffer viewOf;
        ByteBuffer view;
        boolean echo;         // reads the receive buffer
        long sendId;          // > 0 on the last piece of a logical send
        Entry next;
    }

    private Entry newEntry(int kind) {
        Entry e = freeEntries;
        if (e != null) freeEntries = e.next;
        else e = new Entry();
        e.kind = kind;
        e.next = null;
        return e;
    }

    private void append(Entry e) {
        if (tail == null) head = tail = e;
        else tail = tail.next = e;
        queuedEnd += e.len;
        PENDING.setOpaque(this, (long) PENDING.getOpaque(this) + e.len);
    }

    private void release(Entry e) {
        if (e.pinned != null) {
            ContextImpl c = e.pinned;
            if (c.unpin() && !c.inCallback()) c.rollback();
        }
        if (e.echo) echoSends--;
        // Cache only a view of the chunk the context keeps: a view of any other chunk (oversized, or returned to
        // the pool) would keep that memory reachable, and its Cleaner from freeing it, while the entry is pooled.
        if (e.viewOf != null && (ctx == null || !ctx.keepsChunk(e.viewOf))) e.viewOf = e.view = null;
        e.buf = null;
        e.arr = null;
        e.file = null;
        e.pinned = null;
        e.echo = false;
        e.sendId = 0;
        e.done = e.staged = e.len = e.off = 0;
        e.next = freeEntries;
        freeEntries = e;
    }

    private void dropQueue() {
        Entry e = head;
        head = tail = null;
        timedCount = 0; // what they waited for will not be sent
        while (e != null) {
            Entry n = e.next;
            PENDING.setOpaque(this, (long) PENDING.getOpaque(this) - (e.len - e.done));
            release(e);
            e = n;
        }
        inflightEntries = 0;
    }

    /**
     * Queues what a callback returned or what was written. Runs on the event thread.
     *
     * @param ownCallback true when the data comes from this connection's own callback (so arena memory of its
     *                    context can be pinned rather than copied)
     */
    void enqueue(Object data, String source, boolean ownCallback) {
        if (data == null) return;
        // While closing gracefully, only the callback that asked for the close may still add output (so
        // "write a goodbye and close" works); later output, e.g. a chargen sendComplete, is dropped.
        if ((state != OPEN && !(state == CLOSING && closedInCallback && ownCallback)) || outputShutQueued) {
            if (PxCore.LOG.isDebugEnabled()) {
                PxCore.LOG.debug("connection {}: {} data dropped, connection is closing or output shut down", id, source);
            }
            return;
        }
        Entry last;
        if (data instanceof ByteBuffer b) {
            last = piece(b);
        } else if (data instanceof byte[] a) {
            last = heapPiece(a);
        } else if (data instanceof ArenaBuffer a) {
            last = arenaPiece(a);
        } else if (data instanceof CharSequence s) {
            last = heapPiece(s.toString().getBytes(StandardCharsets.UTF_8));
        } else if (data instanceof ByteBuffer[] bs) {
            last = null;
            for (ByteBuffer b : bs) {
                if (b == null) continue;
                Entry e = piece(b);
                if (e != null) last = e;
            }
        } else if (data instanceof FileRegion f) {
            last = newEntry(FILE);
            last.file = f;
            last.len = (int) Math.min(Integer.MAX_VALUE, f.length() + rem(f.head()) + rem(f.tail()));
            if (f.length() > Integer.MAX_VALUE) last.len = Integer.MAX_VALUE; // accounting only; see issueFile
            append(last);
        } else {
            userError(source, new PxException("connection " + id + ": " + source + " returned an unsupported type "
                    + data.getClass().getName() + "; return null, byte[], ByteBuffer, ByteBuffer[], ArenaBuffer,"
                    + " CharSequence or FileRegion"));
            return;
        }
        if (last != null) last.sendId = ++nextSendId;
    }

    private static int rem(ByteBuffer b) {
        return b == null ? 0 : b.remaining();
    }

    private Entry piece(ByteBuffer b) {
        int n = b.remaining();
        if (n == 0) return null;
        if (!b.isDirect()) {
            Entry e = newEntry(HEAP);
            e.buf = b;
            e.off = b.position();
            e.len = n;
            append(e);
            return e;
        }
        Entry e = newEntry(DIRECT);
        e.buf = b;
        e.off = b.position();
        e.len = n;
        if (inReceiveBuffer(b)) {
            e.echo = true; // zero-copy echo: the next read must wait until this is sent
            echoSends++;
        } else if (ctx != null && ctx.owns(b)) {
            e.pinned = ctx;
            ctx.pin();
        }
        append(e);
        return e;
    }

    private Entry heapPiece(byte[] a) {
        if (a.length == 0) return null;
        Entry e = newEntry(HEAP);
        e.arr = a;
        e.len = a.length;
        append(e);
        return e;
    }

    private Entry arenaPiece(ArenaBuffer a) {
        if (!(a instanceof ArenaBufferImpl ai) || ai.context() != ctx) {
            // another context's arena will not wait for us (toByteArray checks the generation)
            return a.length() == 0 ? null : heapPiece(a.toByteArray());
        }
        int len = ai.length(); // checks the generation: a stale buffer throws ContextEscapeException
        if (len == 0) return null;
        ByteBuffer chunk = ai.chunk();
        Entry e = newEntry(DIRECT);
        if (e.viewOf != chunk) {
            e.view = chunk.duplicate();
            e.viewOf = chunk;
        }
        e.off = ai.base();
        e.buf = e.view.limit(e.off + len).position(e.off);
        e.len = len;
        e.pinned = ctx;
        ctx.pin();
        append(e);
        return e;
    }

    private boolean inReceiveBuffer(ByteBuffer b) {
        if (b == recvView || b == recvBuf) return true;
        if (recvAddr == 0) return false;
        long a = DirectMemory.address(b);
        return a >= recvAddr && a < recvAddr + recvBuf.capacity();
    }

    /** Issues the next send if none is outstanding; closes when a graceful close has drained the queue. */
    private void flush() {
        if (sendInFlight || state >= CLOSE_ISSUED || ch == null) return;
        while (head != null && head.kind == SHUTDOWN) {
            Entry e = head;
            head = e.next;
            if (head == null) tail = null;
            release(e);
            ch.shutdownOutput();
        }
        if (head == null) {
            if (state == CLOSING) issueClose(false);
            return;
        }
        long budget = Long.MAX_VALUE;
        long rate = opts.rateLimitBytesPerSecond();
        long now = 0;
        if (rate > 0) {
            now = System.nanoTime();
            if (now - nextSendNanos < 0) {
                if (rateTimer == null) rateTimer = ch.schedule(this::rateFlush, nextSendNanos - now);
                return;
            }
            budget = Math.max(1, rate / 20); // about 20 sends per second keeps the rate smooth
        }
        if (head.kind == FILE) {
            issueFile(head);
            if (rate > 0) nextSendNanos = Math.max(now, nextSendNanos) + head.len * 1_000_000_000L / rate;
            return;
        }
        int n = 0;
        long total = 0;
        int stagedPos = 0;
        ByteBuffer run = null; // staging view being extended by consecutive heap pieces
        int entries = 0;
        for (Entry e = head; e != null && n < MAX_GATHER && total < budget; e = e.next) {
            if (e.kind == FILE || e.kind == SHUTDOWN) break;
            int left = e.len - e.done;
            int want = (int) Math.min(left, budget - total);
            if (e.kind == DIRECT) {
                ByteBuffer b = e.buf;
                if (e.done != 0 || want < left) {
                    b = e.buf.duplicate(); // rate-limited piece: a view of the next part
                    b.limit(e.off + e.done + want).position(e.off + e.done);
                }
                gather[n++] = b;
                run = null;
            } else {
                if (staging == null) {
                    staging = core.buffers.acquire(STAGING_SIZE);
                    stagingViews = new ByteBuffer[MAX_GATHER];
                }
                want = Math.min(want, STAGING_SIZE - stagedPos);
                if (want == 0) break;
                if (e.arr != null) staging.put(stagedPos, e.arr, e.off + e.done, want);
                else staging.put(stagedPos, e.buf, e.off + e.done, want);
                if (run == null) {
                    ByteBuffer v = stagingViews[n];
                    if (v == null) stagingViews[n] = v = staging.duplicate();
                    v.limit(STAGING_SIZE).position(stagedPos);
                    gather[n++] = run = v;
                }
                run.limit(stagedPos + want);
                stagedPos += want;
            }
            e.staged = want;
            total += want;
            entries++;
            if (want < left) break; // partial piece: the rest goes in the next send
        }
        inflightEntries = entries;
        sendInFlight = true;
        if (rate > 0) nextSendNanos = Math.max(now, nextSendNanos) + total * 1_000_000_000L / rate;
        gatherUsed = n;
        ch.send(gather, 0, n);
    }

    private void rateFlush() {
        eventThread = Thread.currentThread();
        try {
            rateTimer = null;
            flush();
            maybeRead();
        } catch (Throwable t) {
            internalError("rateFlush", t);
        } finally {
            eventThread = null;
        }
    }

    private void issueFile(Entry e) {
        FileRegion f = e.file;
        ByteBuffer h = f.head(), t = f.tail();
        int hn = rem(h), tn = rem(t);
        // Channel needs direct head/tail: stage heap ones (both fit in the staging buffer in practice).
        boolean stageH = h != null && !h.isDirect(), stageT = t != null && !t.isDirect();
        if ((stageH || stageT) && staging == null) {
            staging = core.buffers.acquire(STAGING_SIZE);
            stagingViews = new ByteBuffer[MAX_GATHER];
        }
        int pos = 0;
        if (stageH) h = stage(h, hn, 0, pos);
        pos += stageH ? hn : 0;
        if (stageT) t = stage(t, tn, 1, pos);
        e.staged = e.len;
        inflightEntries = 1;
        sendInFlight = true;
        ch.sendFile(h, f.path(), f.offset(), f.length(), t);
    }

    private ByteBuffer stage(ByteBuffer src, int n, int slot, int pos) {
        if (pos + n > STAGING_SIZE) { // too big for the staging buffer: a one-off direct copy
            ByteBuffer d = ByteBuffer.allocateDirect(n);
            d.put(0, src, src.position(), n);
            return d;
        }
        staging.put(pos, src, src.position(), n);
        ByteBuffer v = stagingViews[slot];
        if (v == null) stagingViews[slot] = v = staging.duplicate();
        v.limit(STAGING_SIZE).position(pos);
        v.limit(pos + n);
        return v;
    }

    private void issueClose(boolean abortive) {
        if (state >= CLOSE_ISSUED) return;
        STATE.setOpaque(this, CLOSE_ISSUED);
        cancelTimers();
        if (abortive) dropQueue();
        ch.close(abortive);
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
        if (data == null) return;
        if (onEventThread()) {
            enqueue(data, "write", true);
            flushFromUser();
            return;
        }
        Object copy = detach(data);
        Channel c = ch;
        if (c == null || (int) STATE.getOpaque(this) >= CLOSING) return;
        c.execute(() -> {
            eventThread = Thread.currentThread();
            try {
                enqueue(copy, "write", false);
                flush();
                maybeRead();
            } catch (Throwable t) {
                internalError("write", t);
            } finally {
                eventThread = null;
            }
        });
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
        if (data instanceof ArenaBuffer a) return a.toByteArray();
        if (data instanceof ByteBuffer b) return detach(b);
        if (data instanceof ByteBuffer[] bs) {
            ByteBuffer[] out = new ByteBuffer[bs.length];
            for (int i = 0; i < bs.length; i++) out[i] = bs[i] == null ? null : detach(bs[i]);
            return out;
        }
        return data;
    }

    private ByteBuffer detach(ByteBuffer b) {
        if (!b.isDirect() || !core.registry.contains(b)) return b;
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
        if (state != OPEN) return;
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
            if (state != OPEN || outputShutQueued) return;
            Entry e = newEntry(SHUTDOWN);
            append(e);
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
        if (c == null || (int) STATE.getOpaque(this) >= CLOSE_ISSUED) return;
        c.execute(() -> {
            eventThread = Thread.currentThread();
            try {
                op.run();
                if (state < CLOSE_ISSUED) {
                    flush();
                    maybeRead();
                }
            } catch (Throwable t) {
                internalError("transport call", t);
            } finally {
                eventThread = null;
            }
        });
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
        return (long) PENDING.getOpaque(this);
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
        if (outputBytes < 0) throw new IllegalArgumentException("outputBytes < 0: " + outputBytes);
        if (timedEnd == null) {
            timedEnd = new long[16];
            timedStart = new long[16];
            timedTag = new int[16];
        } else if (timedCount == timedEnd.length) {
            growTimed();
        }
        int i = (timedHead + timedCount) % timedEnd.length;
        timedEnd[i] = outputBase + outputBytes;
        timedStart[i] = startNanos;
        timedTag[i] = tag;
        timedCount++;
    }

    private void growTimed() {
        int n = timedEnd.length;
        long[] end = new long[n * 2], start = new long[n * 2];
        int[] tag = new int[n * 2];
        for (int k = 0; k < timedCount; k++) {
            int i = (timedHead + k) % n;
            end[k] = timedEnd[i];
            start[k] = timedStart[i];
            tag[k] = timedTag[i];
        }
        timedEnd = end;
        timedStart = start;
        timedTag = tag;
        timedHead = 0;
    }

    @Override
    public String toString() {
        return "Connection#" + id + "[" + local + " <-> " + remote + ", state=" + state + "]";
    }
}

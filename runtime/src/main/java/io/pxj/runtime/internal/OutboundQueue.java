package io.pxj.runtime.internal;

import io.pxj.runtime.spi.support.DirectMemory;
import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.spi.Channel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ordered write queue of one {@link Connection} (what Netty calls a channel outbound buffer): the pieces
 * callbacks returned or wrote, of which one {@link Channel#send} (consecutive pieces gathered) or one
 * {@link Channel#sendFile} is outstanding at a time. Heap data is copied into a per-connection direct staging
 * buffer when its send is issued; arena memory of the connection's own context is sent in place and pins the
 * context until sent; a piece that reads the receive buffer (a zero-copy echo) holds back the next read.
 *
 * <p>Positions: every queued piece advances {@link #queuedEnd}, every completed send advances {@link #sentEnd} by
 * what it carried, which is how the connection attributes timed responses to sends.
 *
 * <p>Threading: the connection's event thread only, except {@link #pendingBytes} (an opaque read, any thread).
 * Entries are pooled, so queuing and sending allocate nothing after warm-up: per queue while it sends, and on an
 * nio loop thread in that thread's {@link Spares} while the queue is idle, so an idle connection holds no entry
 * and no gather array.
 */
final class OutboundQueue {
    private static final int MAX_GATHER = Channel.MAX_GATHER;
    private static final int STAGING_SIZE = 64 * 1024;
    private static final int DIRECT = 0, HEAP = 1, FILE = 2, SHUTDOWN = 3;
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(OutboundQueue.class, "pendingSendBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One piece of a send. Pooled (see the class comment): no garbage per write after warm-up. */
    static final class Entry {
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
        // returning an ArenaBuffer costs no slice object (a loop thread gets its last standard chunk back from
        // the pool, so in steady state the chunk is the same one). Kept across release() only for standard
        // chunks; the identity check on viewOf makes a stale view harmless.
        ByteBuffer viewOf;
        ByteBuffer view;
        boolean echo;         // reads the receive buffer
        long sendId;          // > 0 on the last piece of a logical send
        Entry next;
    }

    private final Spares spares;
    private ContextImpl ctx;
    private ByteBuffer recvBuf;
    private ByteBuffer recvView;
    private long recvAddr;            // address range of recvBuf, to recognise views of it

    private Entry head;
    private Entry tail;
    private Entry freeEntries;
    private ByteBuffer[] gather;      // null while idle on a loop thread; grows to MAX_GATHER
    private int gatherUsed;           // entries of gather set by the send in flight (cleared when it completes)
    private ByteBuffer staging;
    private ByteBuffer[] stagingViews;
    private boolean sendInFlight;
    private int inflightEntries;
    private long nextSendId;
    private long firstCompletedId;    // the first logical send the last completion finished
    private long[] moreCompletedIds;  // the others (gathered sends); null until a completion finishes two
    private int echoSends;            // queued/in-flight sends that read the receive buffer: no read until done
    private long queuedEnd;           // bytes ever appended
    private long sentEnd;             // bytes whose send completed
    @SuppressWarnings("unused") private long pendingSendBytes;

    OutboundQueue(Spares spares) {
        this.spares = spares;
    }

    /** The connection's context: its arena memory is pinned rather than copied. */
    void attach(ContextImpl context) {
        ctx = context;
    }

    /**
     * The receive buffer the connection holds now, or nulls while it holds none (a lean connection between
     * reads): pieces that view it are zero-copy echoes, which hold back the next read.
     */
    void receiveBuffer(ByteBuffer receiveBuffer, ByteBuffer receiveView, long receiveAddress) {
        recvBuf = receiveBuffer;
        recvView = receiveView;
        recvAddr = receiveAddress;
    }

    // ------------------------------------------------------------------ queuing

    /**
     * Queues what a callback returned or what was written, numbering it as one logical send.
     *
     * @return false if {@code data} is of an unsupported type (nothing was queued)
     */
    boolean add(Object data) {
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
                if (b == null) {
                    continue;
                }
                Entry e = piece(b);
                if (e != null) {
                    last = e;
                }
            }
        } else if (data instanceof FileRegion f) {
            last = newEntry(FILE);
            last.file = f;
            last.len = (int) Math.min(Integer.MAX_VALUE, f.length() + rem(f.head()) + rem(f.tail()));
            if (f.length() > Integer.MAX_VALUE) {
                last.len = Integer.MAX_VALUE; // accounting only; see issueFile
            }
            append(last);
        } else {
            return false;
        }
        if (last != null) {
            last.sendId = ++nextSendId;
        }
        return true;
    }

    /** Queues an output shutdown after what is queued now. */
    void addShutdown() {
        append(newEntry(SHUTDOWN));
    }

    private Entry newEntry(int kind) {
        Entry e = freeEntries;
        if (e != null) {
            freeEntries = e.next;
        } else {
            e = spares.takeEntry();
        }
        e.kind = kind;
        e.next = null;
        return e;
    }

    private void append(Entry e) {
        if (tail == null) {
            head = tail = e;
        } else {
            tail = tail.next = e;
        }
        queuedEnd += e.len;
        PENDING.setOpaque(this, (long) PENDING.getOpaque(this) + e.len);
    }

    private void release(Entry e) {
        if (e.pinned != null) {
            ContextImpl c = e.pinned;
            if (c.unpin() && !c.inCallback()) {
                c.rollback();
            }
        }
        if (e.echo) {
            echoSends--;
        }
        // Cache only a view of a standard chunk: those live in the pool or a context, and a loop thread gets the
        // same one back per callback. A view of an oversized chunk would keep that memory reachable, and its
        // Cleaner from freeing it, while the entry is pooled.
        if (e.viewOf != null && (ctx == null || !ctx.standardChunk(e.viewOf))) {
            e.viewOf = e.view = null;
        }
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

    private static int rem(ByteBuffer b) {
        return b == null ? 0 : b.remaining();
    }

    private Entry piece(ByteBuffer b) {
        int n = b.remaining();
        if (n == 0) {
            return null;
        }
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
        if (a.length == 0) {
            return null;
        }
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
        if (len == 0) {
            return null;
        }
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
        if (recvBuf == null) {
            return false;
        }
        if (b == recvView || b == recvBuf) {
            return true;
        }
        if (recvAddr == 0) {
            return false;
        }
        long a = DirectMemory.address(b);
        return a >= recvAddr && a < recvAddr + recvBuf.capacity();
    }

    // ------------------------------------------------------------------ sending

    boolean isEmpty() {
        return head == null;
    }

    boolean sendInFlight() {
        return sendInFlight;
    }

    /** The outstanding send will not complete (the channel failed or closed). */
    void sendAbandoned() {
        sendInFlight = false;
    }

    /** Removes an output shutdown at the head; true if there was one (the caller shuts the output down). */
    boolean pollShutdown() {
        Entry e = head;
        if (e == null || e.kind != SHUTDOWN) {
            return false;
        }
        head = e.next;
        if (head == null) {
            tail = null;
        }
        release(e);
        return true;
    }

    boolean headIsFile() {
        return head != null && head.kind == FILE;
    }

    /** Issues the file region at the head; returns the bytes it accounts for. */
    long issueFile(Channel ch) {
        Entry e = head;
        FileRegion f = e.file;
        ByteBuffer h = f.head();
        ByteBuffer t = f.tail();
        int hn = rem(h);
        int tn = rem(t);
        // Channel needs direct head/tail: stage heap ones (both fit in the staging buffer in practice).
        boolean stageH = h != null && !h.isDirect();
        boolean stageT = t != null && !t.isDirect();
        if ((stageH || stageT) && staging == null) {
            staging = spares.buffers.acquire(STAGING_SIZE);
            stagingViews = new ByteBuffer[MAX_GATHER];
        }
        int pos = 0;
        if (stageH) {
            h = stage(h, hn, 0, pos);
        }
        pos += stageH ? hn : 0;
        if (stageT) {
            t = stage(t, tn, 1, pos);
        }
        e.staged = e.len;
        inflightEntries = 1;
        sendInFlight = true;
        ch.sendFile(h, f.path(), f.offset(), f.length(), t);
        return e.len;
    }

    private ByteBuffer stage(ByteBuffer src, int n, int slot, int pos) {
        if (pos + n > STAGING_SIZE) { // too big for the staging buffer: a one-off direct copy
            ByteBuffer d = ByteBuffer.allocateDirect(n);
            d.put(0, src, src.position(), n);
            return d;
        }
        staging.put(pos, src, src.position(), n);
        ByteBuffer v = stagingViews[slot];
        if (v == null) {
            stagingViews[slot] = v = staging.duplicate();
        }
        v.limit(STAGING_SIZE).position(pos);
        v.limit(pos + n);
        return v;
    }

    /**
     * Gathers up to {@code budget} bytes of the consecutive buffer pieces at the head (heap ones staged) into one
     * send and issues it; returns the bytes it carries.
     */
    long issueGather(Channel ch, long budget) {
        int n = 0;
        long total = 0;
        int stagedPos = 0;
        ByteBuffer run = null; // staging view being extended by consecutive heap pieces
        int entries = 0;
        for (Entry e = head; e != null && n < MAX_GATHER && total < budget; e = e.next) {
            if (e.kind == FILE || e.kind == SHUTDOWN) {
                break;
            }
            int left = e.len - e.done;
            int want = (int) Math.min(left, budget - total);
            if (e.kind == DIRECT) {
                ByteBuffer b = e.buf;
                if (e.done != 0 || want < left) {
                    b = e.buf.duplicate(); // rate-limited piece: a view of the next part
                    b.limit(e.off + e.done + want).position(e.off + e.done);
                }
                gather = room(gather, n);
                gather[n++] = b;
                run = null;
            } else {
                if (staging == null) {
                    staging = spares.buffers.acquire(STAGING_SIZE);
                    stagingViews = new ByteBuffer[MAX_GATHER];
                }
                want = Math.min(want, STAGING_SIZE - stagedPos);
                if (want == 0) {
                    break;
                }
                if (e.arr != null) {
                    staging.put(stagedPos, e.arr, e.off + e.done, want);
                } else {
                    staging.put(stagedPos, e.buf, e.off + e.done, want);
                }
                if (run == null) {
                    ByteBuffer v = stagingViews[n];
                    if (v == null) {
                        stagingViews[n] = v = staging.duplicate();
                    }
                    v.limit(STAGING_SIZE).position(stagedPos);
                    gather = room(gather, n);
                    gather[n++] = run = v;
                }
                run.limit(stagedPos + want);
                stagedPos += want;
            }
            e.staged = want;
            total += want;
            entries++;
            if (want < left) {
                break; // partial piece: the rest goes in the next send
            }
        }
        inflightEntries = entries;
        sendInFlight = true;
        gatherUsed = n;
        ch.send(gather, 0, n);
        return total;
    }

    /** {@code a}, or a copy twice as long (at most {@link #MAX_GATHER}) when index {@code n} is past its end. */
    private ByteBuffer[] room(ByteBuffer[] a, int n) {
        if (a == null) {
            return spares.takeGather();
        }
        return n < a.length ? a : Arrays.copyOf(a, Math.min(MAX_GATHER, a.length * 2));
    }

    /**
     * The outstanding send completed: retires the pieces it finished.
     *
     * @return how many logical sends it finished; their ids are {@link #completedId}(0..n-1)
     */
    int completed() {
        sendInFlight = false;
        if (gatherUsed > 0) {
            Arrays.fill(gather, 0, gatherUsed, null); // do not retain user buffers
            gatherUsed = 0;
        }
        int done = 0;
        for (int i = inflightEntries; i > 0 && head != null; i--) {
            Entry e = head;
            e.done += e.staged;
            sentEnd += e.staged;
            PENDING.setOpaque(this, (long) PENDING.getOpaque(this) - e.staged);
            e.staged = 0;
            if (e.done < e.len) {
                break; // partially sent: stays at the head
            }
            head = e.next;
            if (head == null) {
                tail = null;
            }
            if (e.sendId > 0) {
                if (done == 0) {
                    firstCompletedId = e.sendId;
                } else {
                    if (moreCompletedIds == null) {
                        moreCompletedIds = new long[2];
                    } else if (done > moreCompletedIds.length) {
                        moreCompletedIds = Arrays.copyOf(moreCompletedIds, moreCompletedIds.length * 2);
                    }
                    moreCompletedIds[done - 1] = e.sendId;
                }
                done++;
            }
            release(e);
        }
        inflightEntries = 0;
        return done;
    }

    long completedId(int i) {
        return i == 0 ? firstCompletedId : moreCompletedIds[i - 1];
    }

    /**
     * Idle connections should hold nothing for sending: the staging buffer goes back to the shared pool, and on a
     * loop thread the free entries and the gather array go to the thread's {@link Spares}.
     */
    void releaseIfIdle() {
        if (sendInFlight || head != null) {
            return;
        }
        if (staging != null) {
            spares.buffers.release(staging);
            staging = null;
            Arrays.fill(stagingViews, null);
        }
        Spares.Stash stash = spares.stash();
        if (stash != null) {
            freeEntries = stash.giveEntries(freeEntries);
            if (gather != null && stash.giveGather(gather)) {
                gather = null;
            }
        }
    }

    /** True while the queue keeps free entries or a gather array (tests: an idle queue on a loop keeps none). */
    boolean holdsSpares() {
        return freeEntries != null || gather != null;
    }

    /** Drops everything queued (an abort or the close): nothing more will be sent. */
    void drop() {
        Entry e = head;
        head = tail = null;
        while (e != null) {
            Entry n = e.next;
            PENDING.setOpaque(this, (long) PENDING.getOpaque(this) - (e.len - e.done));
            release(e);
            e = n;
        }
        inflightEntries = 0;
    }

    /** The connection closed: drops the pooled entries (they may view an arena chunk going back to the pool). */
    void forgetPooledEntries() {
        freeEntries = null;
    }

    /** After the connection closed and its context went back: returns the staging buffer, drops references. */
    void closed() {
        spares.buffers.release(staging);
        staging = null;
        stagingViews = null;
        ctx = null;
        recvBuf = recvView = null;
    }

    // ------------------------------------------------------------------ positions and counters

    int echoSends() {
        return echoSends;
    }

    long queuedEnd() {
        return queuedEnd;
    }

    long sentEnd() {
        return sentEnd;
    }

    /** Bytes queued and not yet sent; any thread. */
    long pendingBytes() {
        return (long) PENDING.getOpaque(this);
    }
}

package io.pxj.http;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Transport;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Collects the responses produced by one {@code dataReceived} call (several when requests are pipelined) as a
 * short list of sends, in order: arena chunks holding heads and small bodies, large heap bodies by reference,
 * and file regions. Small things are copied into the current arena chunk so a burst of pipelined responses
 * goes out as one send; the chunk comes from the connection's arena and is released by the runtime when the
 * send completes, so steady-state responses create no heap garbage here.
 *
 * <p>A file region takes everything written before it as its head (TransmitFile's head buffer), so a static
 * file response is one send even behind pipelined responses.
 *
 * <p>Arena lifetime: chunks are {@link ArenaBuffer}s, which keep their context from rolling back until their
 * send completes whether they are returned or passed to {@link Transport#write}; everything else queued here
 * is heap memory. So nothing depends on which send happens to be the callback's return value.
 *
 * <p>Threading: one per connection, used only inside its callbacks; {@link #finish} drops every reference to
 * arena memory so nothing outlives the callback.
 */
final class Output {
    /** Bodies up to this size are copied into the arena chunk; larger ones are sent from their own array. */
    static final int COPY_THRESHOLD = 8 * 1024;
    private static final int CHUNK = 16 * 1024;

    private ParallelContext ctx;
    private ArenaBuffer cur;
    // Handles for the chunks of one callback, reused across callbacks: with escape checks on, the runtime would
    // otherwise create a fresh handle per allocation (48 B per read on the plaintext path). Safe because these
    // buffers never leave this class and the runtime (which copies out chunk, offset and length when the send is
    // queued), and they are dropped by finish/discard; the index restarts at begin.
    private ArenaBuffer[] handles = new ArenaBuffer[4];
    private int handlesUsed;
    private Object[] sends = new Object[8];
    private int count;
    private long added; // bytes in sends[0, count)

    void begin(ParallelContext ctx) {
        this.ctx = ctx;
        handlesUsed = 0;
        added = 0;
    }

    /**
     * Bytes written since {@link #begin}, in the order they will be sent: where the response written last ends
     * in the callback's output (what {@link io.pxj.runtime.Transport#timeResponse} needs).
     */
    long length() {
        return added + (cur == null ? 0 : cur.length());
    }

    /** The current chunk, with room for at least {@code n} more bytes. */
    ArenaBuffer room(int n) {
        if (cur == null || cur.remaining() < n) {
            flushChunk();
            cur = allocate(Math.max(CHUNK, n));
        }
        return cur;
    }

    private ArenaBuffer allocate(int size) {
        if (handlesUsed == handles.length) {
            handles = java.util.Arrays.copyOf(handles, handlesUsed * 2);
        }
        ArenaBuffer h = ctx.allocate(size, handles[handlesUsed]);
        handles[handlesUsed++] = h;
        return h;
    }

    /** Appends a body: copied when small, sent by reference when large (the caller must not change it). */
    void body(byte[] b, int off, int len) {
        if (len <= COPY_THRESHOLD) {
            room(len).put(b, off, len);
        } else {
            flushChunk();
            add(ByteBuffer.wrap(b, off, len));
        }
    }

    /** Copies {@code b[off, off + len)} (for bytes in a buffer that is reused before the send completes). */
    void copy(byte[] b, int off, int len) {
        room(len).put(b, off, len);
    }

    /** Appends a body buffer's remaining bytes (the buffer's position is not changed). */
    void body(ByteBuffer b) {
        int len = b.remaining();
        if (len <= COPY_THRESHOLD) {
            room(len).put(b.duplicate());
        } else {
            flushChunk();
            add(b.duplicate());
        }
    }

    /**
     * Sends {@code length} bytes of {@code path}; what was written since the last send becomes its head.
     * The head is copied to the heap: a file region is not arena-backed, so the runtime does not know to keep
     * the arena alive for it, and a file send is no hot path (it already costs a path lookup and metadata).
     */
    void file(Path path, long offset, long length) {
        ByteBuffer head = null;
        if (cur != null && cur.length() > 0) { head = ByteBuffer.wrap(cur.toByteArray()); }
        cur = null; // later responses go into a fresh chunk, sent after the region
        add(new FileRegion(head, path, offset, length, null));
    }

    /** True when nothing has been written since {@link #begin}. */
    boolean isEmpty() {
        return count == 0 && (cur == null || cur.length() == 0);
    }

    /**
     * Queues all sends but the last on {@code transport} and returns the last (the callback's return value),
     * or null when there is nothing to send.
     */
    Object finish(Transport transport) {
        flushChunk();
        Object last = null;
        for (int i = 0; i < count; i++) {
            if (last != null) { transport.write(last); }
            last = sends[i];
            sends[i] = null;
        }
        count = 0;
        ctx = null;
        return last;
    }

    /** Drops everything (after an exception). */
    void discard() {
        for (int i = 0; i < count; i++) { sends[i] = null; }
        count = 0;
        added = 0;
        cur = null;
        ctx = null;
    }

    private void flushChunk() {
        if (cur != null && cur.length() > 0) { add(cur); }
        cur = null;
    }

    private void add(Object send) {
        if (count == sends.length) { sends = java.util.Arrays.copyOf(sends, count * 2); }
        sends[count++] = send;
        if (send instanceof ArenaBuffer a) { added += a.length(); }
        else if (send instanceof ByteBuffer b) { added += b.remaining(); }
        else if (send instanceof FileRegion f) { added += remaining(f.head()) + f.length() + remaining(f.tail()); }
    }

    private static int remaining(ByteBuffer b) {
        return b == null ? 0 : b.remaining();
    }
}

package io.pxj.services;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.nio.ByteBuffer;

/**
 * Character generator (RFC 864): streams the RFC's rotating pattern of 72-character lines of the 95 printable
 * ASCII characters, each line starting one character later than the previous, until the peer closes. Input is
 * discarded.
 *
 * <p>Streaming is PyParallel style: {@code initialBytesToSend} returns the first batch of lines and every
 * {@code sendComplete} returns the next, so the runtime's flow control paces it and a slow reader costs no
 * memory. The whole 95-line cycle is encoded once, twice over, so any batch is one contiguous read-only slice;
 * each connection reuses one view of it (safe: the next batch is only made after the previous send completed).
 *
 * <p>Threading: one instance per connection.
 */
public final class ChargenProtocol implements Protocol {
    static final int LINE = 72;
    static final int CYCLE = 95;
    /** Lines per send (about 4.6 KB). */
    static final int BATCH = 64;
    private static final ByteBuffer RING;

    static {
        byte[] ring = new byte[2 * CYCLE * (LINE + 2)];
        int o = 0;
        for (int l = 0; l < 2 * CYCLE; l++) {
            for (int c = 0; c < LINE; c++) { ring[o++] = (byte) (' ' + (l + c) % CYCLE); }
            ring[o++] = '\r';
            ring[o++] = '\n';
        }
        RING = ByteBuffer.wrap(ring).asReadOnlyBuffer();
    }

    private final ByteBuffer view = RING.duplicate();
    private int line;

    @Override
    public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
        return next();
    }

    @Override
    public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
        return transport.isOpen() ? next() : null;
    }

    @Override
    public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
        return null;
    }

    private ByteBuffer next() {
        int start = line * (LINE + 2);
        view.limit(start + BATCH * (LINE + 2)).position(start);
        line = (line + BATCH) % CYCLE;
        return view;
    }
}

package io.pxj.runtime.internal;

import io.pxj.runtime.Lines;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Lines-mode framing over a connection's receive buffer, in place: complete lines are found by scanning only the
 * newly read bytes; a partial line stays in the buffer and is moved to its start ({@link #compact}) before the
 * next read appends to it, so a line split across reads is delivered joined. Terminators ({@code \n} or
 * {@code \r\n}) are stripped. Line bounds live in reused int arrays: no garbage per read.
 *
 * <p>The receive buffer must hold at least {@code maxLineLength + 2} bytes so that any legal line fits.
 *
 * <p>Threading: confined to the connection's event thread; the {@link Lines} view is valid during one
 * {@code linesReceived} call.
 */
public final class LinesFramer implements Lines {
    private final int maxLineLength;
    private ByteBuffer buf;
    private ByteBuffer readOnly;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;
    private int lineStart;   // first byte of the current (incomplete) line
    private int scanFrom;    // first byte not yet scanned for '\n'
    private boolean tooLong;

    public LinesFramer(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Binds to a (new) receive buffer and forgets any partial line. */
    public void reset(ByteBuffer buffer) {
        if (buffer != buf || readOnly == null) { readOnly = buffer.asReadOnlyBuffer(); } // same buffer: same view
        buf = buffer;
        count = 0;
        lineStart = 0;
        scanFrom = 0;
        tooLong = false;
    }

    /**
     * Frames the bytes in {@code [0, buf.position())}. Afterwards {@link #count()} complete lines are available
     * and {@link #tooLong()} says whether an over-long line (complete or partial) followed them.
     *
     * @return the number of complete lines
     */
    public int frame() {
        count = 0;
        int end = buf.position();
        int start = lineStart;
        for (int i = scanFrom; i < end; i++) {
            if (buf.get(i) != '\n') { continue; }
            int lineEnd = i > start && buf.get(i - 1) == '\r' ? i - 1 : i;
            if (lineEnd - start > maxLineLength) {
                tooLong = true;
                lineStart = scanFrom = i + 1;
                return count;
            }
            add(start, lineEnd);
            start = i + 1;
        }
        lineStart = start;
        scanFrom = end;
        int partial = end - start;
        if (partial > maxLineLength && !(partial == maxLineLength + 1 && buf.get(end - 1) == '\r')) { tooLong = true; }
        return count;
    }

    private void add(int s, int e) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = s;
        ends[count] = e;
        count++;
    }

    public boolean tooLong() {
        return tooLong;
    }

    /** Bytes of the current incomplete line. */
    public int partialLength() {
        return scanFrom - lineStart;
    }

    /**
     * End of stream: turns a trailing unterminated line into the one line of this framing (so {@code printf abc |
     * nc} is still answered).
     *
     * @return 1 if there was such a line, else 0
     */
    public int frameRemainder() {
        count = 0;
        int end = buf.position();
        if (end > lineStart) {
            int e = buf.get(end - 1) == '\r' ? end - 1 : end;
            add(lineStart, e);
            lineStart = scanFrom = end;
        }
        return count;
    }

    /** Moves the partial line to the start of the buffer and prepares it for the next read (position after it). */
    public void compact() {
        int partial = buf.position() - lineStart;
        if (lineStart > 0 && partial > 0) { buf.put(0, buf, lineStart, partial); }
        buf.limit(buf.capacity());
        buf.position(partial);
        lineStart = 0;
        scanFrom = partial;
        count = 0;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public ByteBuffer line(int i) {
        java.util.Objects.checkIndex(i, count);
        return readOnly.slice(starts[i], ends[i] - starts[i]);
    }

    @Override
    public String lineString(int i, Charset charset) {
        java.util.Objects.checkIndex(i, count);
        byte[] b = new byte[ends[i] - starts[i]];
        buf.get(starts[i], b);
        return new String(b, charset);
    }

    @Override
    public String toString() {
        return "Lines[count=" + count + "]";
    }
}

package io.pxj.http;

import java.nio.ByteBuffer;

/**
 * A resumable decoder for the chunked transfer coding (RFC 9112 section 7.1): it may be fed any split of the
 * input, down to one byte at a time, and appends the decoded body to a {@link GrowableBytes}.
 *
 * <p>Strict where laxness enables request smuggling: CRLF only (no bare LF or CR), hex sizes of at most 15
 * digits, whitespace only between the size and a {@code ;} extension, chunk data followed by exactly CRLF,
 * trailer fields as strict as header fields (no obs-fold, no control bytes). Chunk extensions are skipped
 * (bounded by 4 KiB per body); trailer fields are discarded (bounded by {@code maxTrailerBytes}).
 *
 * <p>Threading: confined to its connection.
 */
final class ChunkedDecoder {
    static final int MAX_EXTENSION_BYTES = 4096;
    private static final int MAX_SIZE_DIGITS = 15;

    private static final int SIZE_FIRST = 0, SIZE = 1, EXT_WS = 2, EXT = 3, SIZE_LF = 4, DATA = 5, DATA_CR = 6,
            DATA_LF = 7, TRAILER_START = 8, TRAILER_LINE = 9, TRAILER_LF = 10, FINAL_LF = 11, DONE = 12,
            FAILED = 13;

    private int state;
    private long chunkSize;
    private int digits;
    private int extBytes;
    private int trailerBytes;
    private long total;
    private int error;

    void reset() {
        state = SIZE_FIRST;
        chunkSize = 0;
        digits = 0;
        extBytes = 0;
        trailerBytes = 0;
        total = 0;
        error = 0;
    }

    boolean isDone() {
        return state == DONE;
    }

    /** The HTTP status to answer with after a failure (400, 413 or 431), or 0. */
    int error() {
        return error;
    }

    /** Decoded body bytes so far. */
    long total() {
        return total;
    }

    /**
     * Consumes bytes from {@code src[pos, limit)} until the body ends, the input ends, or an error.
     *
     * @return the index of the first byte not consumed (the start of the next request when {@link #isDone()})
     */
    int feed(ByteBuffer src, int pos, int limit, GrowableBytes out, long maxBody, int maxTrailerBytes) {
        while (pos < limit && state < DONE) {
            byte b = src.get(pos);
            switch (state) {
                case SIZE_FIRST, SIZE -> {
                    int h = PathNormalizer.hex(b);
                    if (h >= 0) {
                        if (++digits > MAX_SIZE_DIGITS) { return fail(400, pos); }
                        chunkSize = chunkSize << 4 | h;
                        state = SIZE;
                    } else if (state == SIZE_FIRST) {
                        return fail(400, pos);
                    } else if (b == '\r') {
                        state = SIZE_LF;
                    } else if (b == ';') {
                        state = EXT;
                    } else if (b == ' ' || b == '\t') {
                        state = EXT_WS;
                    } else {
                        return fail(400, pos);
                    }
                    pos++;
                }
                case EXT_WS -> {
                    if (b == ';') { state = EXT; }
                    else if (b == '\r') { state = SIZE_LF; }
                    else if (b != ' ' && b != '\t') { return fail(400, pos); }
                    if (++extBytes > MAX_EXTENSION_BYTES) { return fail(400, pos); }
                    pos++;
                }
                case EXT -> {
                    if (b == '\r') { state = SIZE_LF; }
                    else if (isCtl(b)) { return fail(400, pos); }
                    if (++extBytes > MAX_EXTENSION_BYTES) { return fail(400, pos); }
                    pos++;
                }
                case SIZE_LF -> {
                    if (b != '\n') { return fail(400, pos); }
                    pos++;
                    if (chunkSize == 0) {
                        state = TRAILER_START;
                    } else {
                        if (total + chunkSize > maxBody) { return fail(413, pos); }
                        state = DATA;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(chunkSize, limit - pos);
                    out.append(src, pos, n);
                    pos += n;
                    total += n;
                    chunkSize -= n;
                    if (chunkSize == 0) { state = DATA_CR; }
                }
                case DATA_CR -> {
                    if (b != '\r') { return fail(400, pos); }
                    state = DATA_LF;
                    pos++;
                }
                case DATA_LF -> {
                    if (b != '\n') { return fail(400, pos); }
                    state = SIZE_FIRST;
                    digits = 0;
                    pos++;
                }
                case TRAILER_START -> {
                    if (b == '\r') {
                        state = FINAL_LF;
                    } else if (HttpRequestParser.isTchar(b)) {
                        state = TRAILER_LINE; // field name validity beyond the first byte is not needed: discarded
                    } else {
                        return fail(400, pos); // includes SP/HT: obs-fold
                    }
                    if (++trailerBytes > maxTrailerBytes) { return fail(431, pos); }
                    pos++;
                }
                case TRAILER_LINE -> {
                    if (b == '\r') { state = TRAILER_LF; }
                    else if (isCtl(b)) { return fail(400, pos); }
                    if (++trailerBytes > maxTrailerBytes) { return fail(431, pos); }
                    pos++;
                }
                case TRAILER_LF -> {
                    if (b != '\n') { return fail(400, pos); }
                    state = TRAILER_START;
                    pos++;
                }
                case FINAL_LF -> {
                    if (b != '\n') { return fail(400, pos); }
                    state = DONE;
                    pos++;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return pos;
    }

    private int fail(int status, int pos) {
        state = FAILED;
        error = status;
        return pos;
    }

    /** Control bytes other than HT, and DEL. */
    static boolean isCtl(byte b) {
        return (b >= 0 && b < 0x20 && b != '\t') || b == 0x7F;
    }
}

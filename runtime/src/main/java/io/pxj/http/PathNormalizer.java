package io.pxj.http;

import java.nio.ByteBuffer;

/**
 * Percent-decodes and normalises the path of an origin-form request target, in one pass and without allocating.
 *
 * <p>Rules, chosen so that no normalised path can name anything above the root it is resolved against:
 * <ul>
 *   <li>{@code %XX} is decoded once (no double decoding); a malformed escape is refused;</li>
 *   <li>an encoded slash ({@code %2F}), any backslash (literal or {@code %5C}), NUL and other control bytes are
 *       refused: they mean different things to different file systems and proxies;</li>
 *   <li>empty segments ({@code //}) collapse, {@code .} segments vanish, {@code ..} removes the previous
 *       segment, and a {@code ..} that would climb above the root is refused (rather than clamped, which would
 *       hide an attack behind a valid-looking path);</li>
 *   <li>dot segments are recognised after decoding, so {@code %2e%2e} is {@code ..};</li>
 *   <li>a trailing slash is kept (it distinguishes a directory URL).</li>
 * </ul>
 * Bytes above 0x7F pass through (UTF-8 paths).
 */
final class PathNormalizer {
    /** Returned by {@link #normalize} for a refused path. */
    static final int INVALID = -1;

    private PathNormalizer() {}

    /**
     * Normalises {@code src[start, end)}, which must start with {@code '/'}, into {@code out} (capacity at least
     * {@code end - start + 1}).
     *
     * @return the length written to {@code out}, or {@link #INVALID}
     */
    static int normalize(ByteBuffer src, int start, int end, byte[] out) {
        if (start >= end || src.get(start) != '/') { return INVALID; }
        out[0] = '/';
        int o = 1;
        int segStart = 1;
        int i = start + 1;
        while (true) {
            if (i == end || src.get(i) == '/') {
                int len = o - segStart;
                if (len == 1 && out[segStart] == '.') {
                    o = segStart;
                } else if (len == 2 && out[segStart] == '.' && out[segStart + 1] == '.') {
                    if (segStart == 1) { return INVALID; } // would climb above the root
                    int p = segStart - 2;              // last byte of the previous segment
                    while (out[p] != '/') { p--; }
                    o = p + 1;
                    segStart = o;
                } else if (len > 0 && i < end) {
                    out[o++] = '/';
                    segStart = o;
                }
                if (i == end) { return o; }
                i++;
                continue;
            }
            int c = src.get(i) & 0xFF;
            if (c == '%') {
                if (i + 2 >= end) { return INVALID; }
                int hi = hex(src.get(i + 1));
                int lo = hex(src.get(i + 2));
                if (hi < 0 || lo < 0) { return INVALID; }
                c = hi << 4 | lo;
                if (c == '/') { return INVALID; }
                i += 3;
            } else {
                i++;
            }
            if (c < 0x20 || c == 0x7F || c == '\\') { return INVALID; }
            out[o++] = (byte) c;
        }
    }

    static int hex(byte b) {
        if (b >= '0' && b <= '9') { return b - '0'; }
        if (b >= 'a' && b <= 'f') { return b - 'a' + 10; }
        if (b >= 'A' && b <= 'F') { return b - 'A' + 10; }
        return -1;
    }
}

package io.pxj.runtime.internal;

import io.pxj.testfakes.Soak;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing of {@link LinesFramer} against a reference model, driven the way {@code Connection} drives it:
 * {@code compact()}, a read of at most the buffer's free space, {@code frame()}, stop at the first over-long line,
 * {@code frameRemainder()} at end of stream. 40,000 cases in CI; ten times more with {@code -Dpxj.soak=true}.
 */
@AddLifecycleHook(value = Soak.Tries.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class LinesFramerFuzzTest {

    /** Mostly line content, with CR and LF often enough to make lines of every length around the limit. */
    @Provide
    Arbitrary<byte[]> lineish() {
        return Arbitraries.of((byte) 'a', (byte) 'b', (byte) 'c', (byte) 0, (byte) 0xFF, (byte) '\r', (byte) '\n')
                .list().ofMaxSize(80).map(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) b[i] = l.get(i);
                    return b;
                });
    }

    @Property(tries = 40000)
    void framesLikeTheReferenceModelWhateverTheReadSplit(@ForAll("lineish") byte[] input,
            @ForAll @IntRange(min = 1, max = 16) int maxLine, @ForAll("readSizes") List<Integer> reads) {
        Framed expected = reference(input, maxLine);
        Framed actual = drive(input, maxLine, reads);
        assertEquals(expected, actual);
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(8);
    }

    record Framed(List<String> lines, boolean tooLong) {}

    /** The connection's loop over a buffer of the minimum legal size, maxLine + 2. */
    static Framed drive(byte[] input, int maxLine, List<Integer> reads) {
        ByteBuffer buf = ByteBuffer.allocate(maxLine + 2);
        LinesFramer f = new LinesFramer(maxLine);
        f.reset(buf);
        List<String> lines = new ArrayList<>();
        int pos = 0, k = 0;
        while (pos < input.length) {
            f.compact();
            int n = Math.min(Math.min(buf.remaining(), input.length - pos), reads.get(k++ % reads.size()));
            assertTrue(n > 0, "the buffer always has room for a legal line");
            buf.put(input, pos, n);
            pos += n;
            int count = f.frame();
            for (int i = 0; i < count; i++) {
                ByteBuffer l = f.line(i);
                assertEquals(f.lineString(i, StandardCharsets.ISO_8859_1), iso(l));
                lines.add(f.lineString(i, StandardCharsets.ISO_8859_1));
            }
            if (f.tooLong()) return new Framed(lines, true);
        }
        int r = f.frameRemainder();
        for (int i = 0; i < r; i++) lines.add(f.lineString(i, StandardCharsets.ISO_8859_1));
        return new Framed(lines, false);
    }

    /** Split on LF, strip one CR before it; a line longer than max ends the stream; the tail is a last line. */
    static Framed reference(byte[] input, int maxLine) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '\n') continue;
            String line = s.substring(start, i);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.length() > maxLine) return new Framed(lines, true);
            lines.add(line);
            start = i + 1;
        }
        if (start < s.length()) {
            String tail = s.substring(start);
            if (tail.endsWith("\r")) tail = tail.substring(0, tail.length() - 1);
            if (tail.length() > maxLine) return new Framed(lines, true);
            lines.add(tail);
        }
        return new Framed(lines, false);
    }

    private static String iso(ByteBuffer b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        while (b.hasRemaining()) o.write(b.get());
        return o.toString(StandardCharsets.ISO_8859_1);
    }
}

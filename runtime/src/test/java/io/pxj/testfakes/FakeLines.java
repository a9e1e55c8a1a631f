package io.pxj.testfakes;

import io.pxj.runtime.Lines;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Lines from Strings (UTF-8), for lines-mode protocol tests. */
public final class FakeLines implements Lines {
    private final List<String> lines;

    public FakeLines(String... lines) {
        this.lines = List.of(lines);
    }

    @Override public int count() { return lines.size(); }
    @Override public ByteBuffer line(int i) { return ByteBuffer.wrap(lines.get(i).getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(); }
    @Override public String lineString(int i, Charset charset) { return lines.get(i); }
}

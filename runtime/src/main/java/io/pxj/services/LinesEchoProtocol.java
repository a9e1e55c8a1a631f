package io.pxj.services;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.Lines;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Transport;

/**
 * Line echo on the runtime's lines mode: every complete line comes back terminated by CRLF (whatever terminator
 * it arrived with); a partial line waits for its end. Lines longer than {@link #MAX_LINE} close the connection
 * (the runtime's lines-mode limit). Threading: one instance per connection; stateless.
 */
public final class LinesEchoProtocol implements Protocol {
    /** Longest accepted line, without its terminator. */
    public static final int MAX_LINE = 8192;

    private static final ProtocolOptions OPTIONS =
            ProtocolOptions.builder().linesMode(true).maxLineLength(MAX_LINE).build();

    @Override
    public ProtocolOptions options() {
        return OPTIONS;
    }

    @Override
    public Object linesReceived(ParallelContext ctx, Transport transport, Lines lines) {
        int n = lines.count();
        if (n == 0) { return null; }
        int size = 0;
        for (int i = 0; i < n; i++) { size += lines.line(i).remaining() + 2; }
        ArenaBuffer out = ctx.allocate(size);
        for (int i = 0; i < n; i++) { out.put(lines.line(i)).put((byte) '\r').put((byte) '\n'); }
        return out;
    }
}

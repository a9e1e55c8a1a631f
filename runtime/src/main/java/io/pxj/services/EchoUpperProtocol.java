package io.pxj.services;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.nio.ByteBuffer;

/**
 * Echo with ASCII letters upper-cased (other bytes, including UTF-8 sequences, unchanged). The copy goes into
 * the connection's arena, released when the send completes: no heap garbage per read.
 * Threading: one instance per connection; stateless.
 */
public final class EchoUpperProtocol implements Protocol {
    @Override
    public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
        int n = data.remaining();
        ArenaBuffer out = ctx.allocate(n);
        for (int i = data.position(), end = data.limit(); i < end; i++) {
            byte b = data.get(i);
            out.put(b >= 'a' && b <= 'z' ? (byte) (b - 32) : b);
        }
        return out;
    }
}

package io.pxj.services;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.nio.ByteBuffer;

/** Discard (RFC 863): reads and drops everything. Threading: one instance per connection; stateless. */
public final class DiscardProtocol implements Protocol {
    @Override
    public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
        return null;
    }
}

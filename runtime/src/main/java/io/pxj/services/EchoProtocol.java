package io.pxj.services;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.nio.ByteBuffer;

/**
 * Echo (RFC 862): returns the received buffer itself, which the runtime sends without a copy (the receive
 * buffer is held until the send completes). Threading: one instance per connection; stateless.
 */
public final class EchoProtocol implements Protocol {
    @Override
    public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) {
        return data;
    }
}

package io.pxj.services;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Quote of the Day (RFC 865): on accept, sends one short quote (under the RFC's 512 characters) and closes
 * once it is sent. Threading: one instance per connection; the quotes are immutable and shared.
 */
public final class QotdProtocol implements Protocol {
    static final List<byte[]> QUOTES = List.of(
            quote("Don't persist parallel objects. -- PyParallel"),
            quote("Simple things should be simple, complex things should be possible. -- Alan Kay"),
            quote("Make it work, make it right, make it fast. -- Kent Beck"),
            quote("The cheapest, fastest and most reliable components are those that aren't there. -- Gordon Bell"),
            quote("Premature optimization is the root of all evil. -- Donald Knuth"));

    private static byte[] quote(String s) {
        return (s + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
        return QUOTES.get(ThreadLocalRandom.current().nextInt(QUOTES.size()));
    }

    @Override
    public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
        transport.close();
        return null;
    }
}

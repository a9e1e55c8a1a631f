package io.pxj.services;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.time.Clock;

/**
 * Time (RFC 868): on accept, sends the seconds since 1900-01-01T00:00Z as a 32-bit big-endian unsigned number
 * (it wraps in 2036, as the RFC's format does) and closes once it is sent. Threading: one instance per
 * connection.
 */
public final class TimeProtocol implements Protocol {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    static final long EPOCH_OFFSET = 2_208_988_800L;

    private final Clock clock;

    public TimeProtocol() {
        this(Clock.systemUTC());
    }

    public TimeProtocol(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
        long t = (clock.millis() / 1000 + EPOCH_OFFSET) & 0xFFFF_FFFFL;
        return new byte[] {(byte) (t >>> 24), (byte) (t >>> 16), (byte) (t >>> 8), (byte) t};
    }

    @Override
    public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
        transport.close();
        return null;
    }
}

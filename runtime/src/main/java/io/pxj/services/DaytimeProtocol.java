package io.pxj.services;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Transport;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Daytime (RFC 867): on accept, sends the date and time as one human-readable ASCII line (the RFC's example
 * format, {@code Tuesday, February 22, 1982 17:37:43-PST}) and closes once it is sent; input is ignored.
 * Threading: one instance per connection.
 */
public final class DaytimeProtocol implements Protocol {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEEE, MMMM d, uuuu HH:mm:ss-zzz", Locale.US);

    private final Clock clock;

    /** Local time of the system clock's zone. */
    public DaytimeProtocol() {
        this(Clock.systemDefaultZone());
    }

    public DaytimeProtocol(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Object initialBytesToSend(ParallelContext ctx, Transport transport) {
        return (FORMAT.format(ZonedDateTime.now(clock)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Object sendComplete(ParallelContext ctx, Transport transport, long sendId) {
        transport.close();
        return null;
    }
}

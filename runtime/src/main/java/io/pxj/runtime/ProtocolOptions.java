package io.pxj.runtime;

import static io.pxj.runtime.spi.support.Checks.atLeast;
import static io.pxj.runtime.spi.support.Checks.notNegative;
import static io.pxj.runtime.spi.support.Checks.positive;
import static io.pxj.runtime.spi.support.Checks.positiveOrNull;

import io.pxj.runtime.tls.TlsConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-protocol options that every backend honours (each backend documents its mapping of {@link IoMode}).
 * Immutable; build with {@link #builder()}. The canonical constructor checks every value (the builder's
 * {@code build()} goes through it) and names the one it refuses.
 *
 * @param linesMode deliver complete lines to {@link Protocol#linesReceived} instead of raw bytes to dataReceived;
 *     default false
 * @param maxLineLength in lines mode, a line longer than this (without terminator) is an error: exceptionCaught,
 *     then close; &gt; 0, default 8192
 * @param rateLimitBytesPerSecond maximum bytes sent per second on one connection; 0 = unlimited (default)
 * @param ioMode how the backend schedules this protocol's callbacks; default {@link IoMode#CONCURRENCY}
 * @param receiveBufferSize size of the per-connection receive buffer (also the most one dataReceived sees at once);
 *     &gt;= 64, default 64 KiB
 * @param sendHighWaterMark reading stops while more than this many bytes wait to be sent (back-pressure); &gt; 0,
 *     default 1 MiB
 * @param idleTimeout close a connection that receives nothing for this long; positive, or null = never (default)
 * @param tcpNoDelay TCP_NODELAY (Nagle's algorithm off); default true. The nio backend sets it lazily, before a
 *     socket's second write (or a first one larger than one segment): a connection that sends one small response
 *     and closes never pays the system call, and Nagle cannot delay a first small write anyway.
 * @param tls TLS for this connection (server or client side, as the configuration says), or null for plaintext
 *     (default). With TLS the protocol's callbacks still see plaintext, and it is made only once the handshake is
 *     done.
 */
public record ProtocolOptions(boolean linesMode, int maxLineLength, long rateLimitBytesPerSecond, IoMode ioMode,
        int receiveBufferSize, int sendHighWaterMark, Duration idleTimeout, boolean tcpNoDelay, TlsConfig tls) {
    /** Defaults: bytes mode, 64 KiB receive buffer, 1 MiB send high-water mark, no rate limit, no idle timeout. */
    public static final ProtocolOptions DEFAULT = builder().build();

    /** Checks every value. @throws IllegalArgumentException naming the first value out of range */
    public ProtocolOptions {
        positive("maxLineLength", maxLineLength);
        notNegative("rateLimitBytesPerSecond", rateLimitBytesPerSecond);
        Objects.requireNonNull(ioMode, "ioMode");
        atLeast("receiveBufferSize", receiveBufferSize, 64);
        positive("sendHighWaterMark", sendHighWaterMark);
        positiveOrNull("idleTimeout", idleTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().linesMode(linesMode).maxLineLength(maxLineLength)
                .rateLimitBytesPerSecond(rateLimitBytesPerSecond).ioMode(ioMode).receiveBufferSize(receiveBufferSize)
                .sendHighWaterMark(sendHighWaterMark).idleTimeout(idleTimeout).tcpNoDelay(tcpNoDelay).tls(tls);
    }

    /**
     * Builder; each setter sets the component of the same name (see {@link ProtocolOptions}), and {@link #build()}
     * checks them all. Not thread-safe.
     */
    public static final class Builder {
        private boolean linesMode;
        private int maxLineLength = 8192;
        private long rateLimitBytesPerSecond;
        private IoMode ioMode = IoMode.CONCURRENCY;
        private int receiveBufferSize = 64 * 1024;
        private int sendHighWaterMark = 1024 * 1024;
        private Duration idleTimeout;
        private boolean tcpNoDelay = true;
        private TlsConfig tls;

        private Builder() {}

        public Builder linesMode(boolean on) { this.linesMode = on; return this; }
        public Builder maxLineLength(int bytes) { this.maxLineLength = bytes; return this; }
        public Builder rateLimitBytesPerSecond(long rate) { this.rateLimitBytesPerSecond = rate; return this; }
        public Builder ioMode(IoMode mode) { this.ioMode = mode; return this; }
        public Builder receiveBufferSize(int bytes) { this.receiveBufferSize = bytes; return this; }
        public Builder sendHighWaterMark(int bytes) { this.sendHighWaterMark = bytes; return this; }
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        public Builder tcpNoDelay(boolean on) { this.tcpNoDelay = on; return this; }
        /** Speak TLS on this connection (see {@link TlsConfig}); null = plaintext. */
        public Builder tls(TlsConfig config) { this.tls = config; return this; }

        /** The options. @throws IllegalArgumentException naming the first value out of range */
        public ProtocolOptions build() {
            return new ProtocolOptions(linesMode, maxLineLength, rateLimitBytesPerSecond, ioMode, receiveBufferSize,
                    sendHighWaterMark, idleTimeout, tcpNoDelay, tls);
        }
    }
}

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
 * Immutable; build with {@link #builder()}.
 */
public final class ProtocolOptions {
    /** Defaults: bytes mode, 64 KiB receive buffer, 1 MiB send high-water mark, no rate limit, no idle timeout. */
    public static final ProtocolOptions DEFAULT = builder().build();

    private final boolean linesMode;
    private final int maxLineLength;
    private final long rateLimitBytesPerSecond;
    private final IoMode ioMode;
    private final int receiveBufferSize;
    private final int sendHighWaterMark;
    private final Duration idleTimeout;
    private final boolean tcpNoDelay;
    private final TlsConfig tls;

    private ProtocolOptions(Builder b) {
        this.linesMode = b.linesMode;
        this.maxLineLength = b.maxLineLength;
        this.rateLimitBytesPerSecond = b.rateLimitBytesPerSecond;
        this.ioMode = b.ioMode;
        this.receiveBufferSize = b.receiveBufferSize;
        this.sendHighWaterMark = b.sendHighWaterMark;
        this.idleTimeout = b.idleTimeout;
        this.tcpNoDelay = b.tcpNoDelay;
        this.tls = b.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Deliver complete lines to {@link Protocol#linesReceived} instead of raw bytes to dataReceived. */
    public boolean linesMode() {
        return linesMode;
    }

    /** In lines mode, a line longer than this (without terminator) is an error: exceptionCaught, then close. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** Maximum bytes sent per second on one connection; 0 = unlimited. */
    public long rateLimitBytesPerSecond() {
        return rateLimitBytesPerSecond;
    }

    public IoMode ioMode() {
        return ioMode;
    }

    /** Size of the per-connection receive buffer (also the most one dataReceived sees at once). */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** Reading stops while more than this many bytes wait to be sent (back-pressure). */
    public int sendHighWaterMark() {
        return sendHighWaterMark;
    }

    /** Close a connection that receives nothing for this long; null = never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * TCP_NODELAY (Nagle's algorithm off); default true. The nio backend sets it lazily, before a socket's second
     * write (or a first one larger than one segment): a connection that sends one small response and closes never
     * pays the system call, and Nagle cannot delay a first small write anyway.
     */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /**
     * TLS for this connection (server or client side, as the configuration says), or null for plaintext. With
     * TLS the protocol's callbacks still see plaintext, and it is made only once the handshake is done.
     */
    public TlsConfig tls() {
        return tls;
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder().linesMode(linesMode).maxLineLength(maxLineLength)
                .rateLimitBytesPerSecond(rateLimitBytesPerSecond).ioMode(ioMode).receiveBufferSize(receiveBufferSize)
                .sendHighWaterMark(sendHighWaterMark).idleTimeout(idleTimeout).tcpNoDelay(tcpNoDelay).tls(tls);
    }

    @Override
    public String toString() {
        return "ProtocolOptions[linesMode=" + linesMode + ", maxLineLength=" + maxLineLength
                + ", rateLimit=" + rateLimitBytesPerSecond + ", ioMode=" + ioMode
                + ", receiveBufferSize=" + receiveBufferSize + ", sendHighWaterMark=" + sendHighWaterMark
                + ", idleTimeout=" + idleTimeout + ", tcpNoDelay=" + tcpNoDelay
                + (tls == null ? "" : ", tls=" + tls) + "]";
    }

    /** Builder; every setter validates its argument and names it in the exception. */
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

        public Builder linesMode(boolean linesMode) {
            this.linesMode = linesMode;
            return this;
        }

        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = positive("maxLineLength", maxLineLength);
            return this;
        }

        public Builder rateLimitBytesPerSecond(long rate) {
            this.rateLimitBytesPerSecond = notNegative("rateLimitBytesPerSecond", rate);
            return this;
        }

        public Builder ioMode(IoMode ioMode) {
            this.ioMode = Objects.requireNonNull(ioMode, "ioMode");
            return this;
        }

        public Builder receiveBufferSize(int size) {
            this.receiveBufferSize = atLeast("receiveBufferSize", size, 64);
            return this;
        }

        public Builder sendHighWaterMark(int bytes) {
            this.sendHighWaterMark = positive("sendHighWaterMark", bytes);
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positiveOrNull("idleTimeout", timeout);
            return this;
        }

        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /** Speak TLS on this connection (see {@link TlsConfig}); null = plaintext. */
        public Builder tls(TlsConfig config) {
            this.tls = config;
            return this;
        }

        public ProtocolOptions build() {
            return new ProtocolOptions(this);
        }
    }
}

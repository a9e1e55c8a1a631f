package io.pxj.http;

import static io.pxj.runtime.spi.support.Checks.atLeast;
import static io.pxj.runtime.spi.support.Checks.notNegative;
import static io.pxj.runtime.spi.support.Checks.positive;

import java.time.Duration;

/**
 * Per-connection and per-request limits of an {@link HttpServer}. Immutable; build with {@link #builder()}.
 *
 * <table>
 * <caption>Defaults and the status sent when a limit is passed</caption>
 * <tr><th>limit</th><th>default</th><th>status</th></tr>
 * <tr><td>{@link #maxRequestLineBytes()}</td><td>8 KiB</td><td>414 URI Too Long</td></tr>
 * <tr><td>{@link #maxHeaderBytes()} (header section, without the request line; also chunked trailers)</td>
 *     <td>16 KiB</td><td>431 Request Header Fields Too Large</td></tr>
 * <tr><td>{@link #maxHeaderCount()}</td><td>100</td><td>431</td></tr>
 * <tr><td>{@link #maxBodyBytes()} (Content-Length, or the sum of chunk sizes)</td><td>1 MiB</td>
 *     <td>413 Content Too Large</td></tr>
 * <tr><td>{@link #requestTimeout()}: from the first byte of a request until its head and body are complete
 *     (slow-loris protection; not extended by trickling bytes)</td><td>10 s</td><td>408 Request Timeout</td></tr>
 * <tr><td>{@link #bodyReadTimeout()}: longest silence while a request body is being received (a stalled
 *     upload); matters when it is shorter than what is left of the request timeout, e.g. when the request
 *     timeout was raised for large uploads</td><td>10 s</td><td>408 Request Timeout</td></tr>
 * <tr><td>{@link #idleTimeout()}: a keep-alive connection with no request in progress and nothing left to
 *     send</td><td>60 s</td><td>closed silently</td></tr>
 * <tr><td>{@link #maxConnections()}: open HTTP connections; 0 = unlimited</td><td>0</td>
 *     <td>503 Service Unavailable to the first request of each connection above the limit</td></tr>
 * </table>
 *
 * <p>Timeouts are enforced by the server's once-a-second maintenance tick ({@link HttpServer#start}), so they
 * have one-second granularity; without a running tick (a protocol factory used on its own) they are not
 * enforced.
 */
public final class HttpLimits {
    /** The defaults listed in the class comment. */
    public static final HttpLimits DEFAULT = builder().build();

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final long maxBodyBytes;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final Duration bodyReadTimeout;
    private final int maxConnections;

    private HttpLimits(Builder b) {
        this.maxRequestLineBytes = b.maxRequestLineBytes;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxBodyBytes = b.maxBodyBytes;
        this.requestTimeout = b.requestTimeout;
        this.idleTimeout = b.idleTimeout;
        this.bodyReadTimeout = b.bodyReadTimeout;
        this.maxConnections = b.maxConnections;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this instance. */
    public Builder toBuilder() {
        return new Builder()
                .maxRequestLineBytes(maxRequestLineBytes).maxHeaderBytes(maxHeaderBytes)
                .maxHeaderCount(maxHeaderCount).maxBodyBytes(maxBodyBytes)
                .requestTimeout(requestTimeout).idleTimeout(idleTimeout).bodyReadTimeout(bodyReadTimeout)
                .maxConnections(maxConnections);
    }

    /** Longest request line (method, target, version; without CRLF) accepted; longer: 414. */
    public int maxRequestLineBytes() {
        return maxRequestLineBytes;
    }

    /** Largest header section (after the request line, with CRLFs) accepted; larger: 431. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** Most header fields accepted; more: 431. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** Largest request body accepted; larger: 413 (sent before reading the body when Content-Length says so). */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Time allowed to receive one complete request; then 408 and close. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Time an idle keep-alive connection is kept; then it is closed without a response. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Longest time without a byte while a request body is being received; then 408 and close. */
    public Duration bodyReadTimeout() {
        return bodyReadTimeout;
    }

    /** Open connections above which new connections get 503; 0 = unlimited. */
    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public String toString() {
        return "HttpLimits[maxRequestLineBytes=" + maxRequestLineBytes + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxHeaderCount=" + maxHeaderCount + ", maxBodyBytes=" + maxBodyBytes
                + ", requestTimeout=" + requestTimeout + ", idleTimeout=" + idleTimeout
                + ", bodyReadTimeout=" + bodyReadTimeout
                + ", maxConnections=" + maxConnections + "]";
    }

    /** Builder; every setter validates its argument and names it in the exception. */
    public static final class Builder {
        private int maxRequestLineBytes = 8 * 1024;
        private int maxHeaderBytes = 16 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodyBytes = 1024 * 1024;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration bodyReadTimeout = Duration.ofSeconds(10);
        private int maxConnections;

        private Builder() {}

        public Builder maxRequestLineBytes(int bytes) {
            this.maxRequestLineBytes = atLeast("maxRequestLineBytes", bytes, 16);
            return this;
        }

        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = atLeast("maxHeaderBytes", bytes, 2);
            return this;
        }

        public Builder maxHeaderCount(int count) {
            this.maxHeaderCount = positive("maxHeaderCount", count);
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            // Bodies are buffered in one array, hence the 1 GiB ceiling.
            if (bytes < 0 || bytes > 1L << 30) {
                throw new IllegalArgumentException("maxBodyBytes must be 0..1 GiB: " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        public Builder bodyReadTimeout(Duration timeout) {
            this.bodyReadTimeout = positive("bodyReadTimeout", timeout);
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = notNegative("maxConnections", max);
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(this);
        }
    }
}

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
 *
 * <p>The canonical constructor checks every value (the builder's {@code build()} goes through it) and names the one
 * it refuses.
 *
 * @param maxRequestLineBytes longest request line (method, target, version; without CRLF) accepted; longer: 414.
 *     At least 16
 * @param maxHeaderBytes largest header section (after the request line, with CRLFs) accepted; larger: 431. At
 *     least 2
 * @param maxHeaderCount most header fields accepted; more: 431. At least 1
 * @param maxBodyBytes largest request body accepted; larger: 413 (sent before reading the body when Content-Length
 *     says so). 0 to 1 GiB: bodies are buffered in one array
 * @param requestTimeout time allowed to receive one complete request; then 408 and close. Positive
 * @param idleTimeout time an idle keep-alive connection is kept; then it is closed without a response. Positive
 * @param bodyReadTimeout longest time without a byte while a request body is being received; then 408 and close.
 *     Positive
 * @param maxConnections open connections above which new connections get 503; 0 = unlimited
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes,
        Duration requestTimeout, Duration idleTimeout, Duration bodyReadTimeout, int maxConnections) {
    /** The defaults listed in the class comment. */
    public static final HttpLimits DEFAULT = builder().build();

    /** Checks every value. @throws IllegalArgumentException naming the first value out of range */
    public HttpLimits {
        atLeast("maxRequestLineBytes", maxRequestLineBytes, 16);
        atLeast("maxHeaderBytes", maxHeaderBytes, 2);
        positive("maxHeaderCount", maxHeaderCount);
        if (maxBodyBytes < 0 || maxBodyBytes > 1L << 30) {
            throw new IllegalArgumentException("maxBodyBytes must be 0..1 GiB: " + maxBodyBytes);
        }
        positive("requestTimeout", requestTimeout);
        positive("idleTimeout", idleTimeout);
        positive("bodyReadTimeout", bodyReadTimeout);
        notNegative("maxConnections", maxConnections);
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

    /**
     * Builder; each setter sets the component of the same name (see {@link HttpLimits}), and {@link #build()}
     * checks them all. Not thread-safe.
     */
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

        public Builder maxRequestLineBytes(int bytes) { this.maxRequestLineBytes = bytes; return this; }
        public Builder maxHeaderBytes(int bytes) { this.maxHeaderBytes = bytes; return this; }
        public Builder maxHeaderCount(int count) { this.maxHeaderCount = count; return this; }
        public Builder maxBodyBytes(long bytes) { this.maxBodyBytes = bytes; return this; }
        public Builder requestTimeout(Duration timeout) { this.requestTimeout = timeout; return this; }
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        public Builder bodyReadTimeout(Duration timeout) { this.bodyReadTimeout = timeout; return this; }
        public Builder maxConnections(int max) { this.maxConnections = max; return this; }

        /** The limits. @throws IllegalArgumentException naming the first value out of range */
        public HttpLimits build() {
            return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, requestTimeout,
                    idleTimeout, bodyReadTimeout, maxConnections);
        }
    }
}

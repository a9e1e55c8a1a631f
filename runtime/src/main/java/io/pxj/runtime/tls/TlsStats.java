package io.pxj.runtime.tls;

import io.pxj.runtime.spi.support.Counters;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the TLS connections of one {@link TlsConfig}: handshakes completed, and every way a connection can
 * end before or outside its protocol (handshake failure, timeout, peer alert, bytes that are not TLS, a
 * truncated handshake, a refused renegotiation, an oversized record), plus how many handshakes negotiated each
 * protocol version and cipher suite.
 *
 * <p>Threading: thread-safe; written by the connections' event threads, read from anywhere.
 */
public final class TlsStats {
    /** What is counted, one constant per counter getter below (which says when it counts). */
    enum Counter {
        STARTED, COMPLETED, FAILED, TIMED_OUT, ALERT_RECEIVED, NOT_TLS, TRUNCATED, RENEGOTIATION_REFUSED,
        RECORD_TOO_LARGE, REFUSED
    }

    private final Counters<Counter> counters = new Counters<>(Counter.class);
    /** Connections in their handshake now: a gauge, raised and lowered by {@link TlsLayer}. */
    final AtomicInteger inHandshake = new AtomicInteger();
    private final ConcurrentHashMap<String, LongAdder> protocols = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> ciphers = new ConcurrentHashMap<>();

    /** Handshakes begun (accepted or connected TLS connections). */
    public long handshakesStarted() {
        return counters.sum(Counter.STARTED);
    }

    /** Connections in their handshake now. */
    public int handshakesInProgress() {
        return inHandshake.get();
    }

    /** Connections closed at once because {@link TlsConfig#maxHandshakes()} handshakes were in progress. */
    public long handshakesRefused() {
        return counters.sum(Counter.REFUSED);
    }

    /** Handshakes that completed: the connection was handed to its protocol. */
    public long handshakesCompleted() {
        return counters.sum(Counter.COMPLETED);
    }

    /** Completed handshakes per negotiated protocol version (sorted by name). */
    public Map<String, Long> protocols() {
        return snapshot(protocols);
    }

    /** Completed handshakes per negotiated cipher suite (sorted by name). */
    public Map<String, Long> cipherSuites() {
        return snapshot(ciphers);
    }

    /** Handshakes closed because they did not finish within {@link TlsConfig#handshakeTimeout()}. */
    public long handshakesTimedOut() {
        return counters.sum(Counter.TIMED_OUT);
    }

    /**
     * Handshakes that failed for any reason other than the timeout (bad or non-TLS input, an alert from the peer,
     * a truncated handshake, no common protocol or cipher suite, an untrusted certificate, ...). The more specific
     * counters below are subsets of this one.
     */
    public long handshakesFailed() {
        return counters.sum(Counter.FAILED);
    }

    /** Failed handshakes that the peer ended with a fatal alert. */
    public long alertsReceived() {
        return counters.sum(Counter.ALERT_RECEIVED);
    }

    /** Failed handshakes whose first byte was not a TLS handshake record (garbage, plaintext HTTP, ...). */
    public long notTls() {
        return counters.sum(Counter.NOT_TLS);
    }

    /** Failed handshakes that the peer ended with a FIN before the handshake was complete. */
    public long truncatedHandshakes() {
        return counters.sum(Counter.TRUNCATED);
    }

    /** Connections closed because the peer asked to renegotiate TLS 1.2 (refused: renegotiation is off). */
    public long renegotiationsRefused() {
        return counters.sum(Counter.RENEGOTIATION_REFUSED);
    }

    /** Connections closed because a record was larger than the TLS maximum the engine accepts. */
    public long recordsTooLarge() {
        return counters.sum(Counter.RECORD_TOO_LARGE);
    }

    void count(Counter c) {
        counters.increment(c);
    }

    void handshakeCompleted(TlsInfo info) {
        counters.increment(Counter.COMPLETED);
        protocols.computeIfAbsent(info.protocol(), k -> new LongAdder()).increment();
        ciphers.computeIfAbsent(info.cipherSuite(), k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "TlsStats[started=" + handshakesStarted() + ", inProgress=" + handshakesInProgress() + ", refused="
                + handshakesRefused() + ", completed=" + handshakesCompleted() + ", failed="
                + handshakesFailed() + ", timedOut=" + handshakesTimedOut() + ", alertsReceived=" + alertsReceived()
                + ", notTls=" + notTls() + ", truncated=" + truncatedHandshakes() + ", renegotiationsRefused="
                + renegotiationsRefused() + ", recordsTooLarge=" + recordsTooLarge() + ", protocols="
                + protocols() + ", cipherSuites=" + cipherSuites() + "]";
    }
}

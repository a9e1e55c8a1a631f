package io.pxj.runtime.tls;

import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How the connections of one protocol speak TLS: the JDK {@link SSLContext} that holds the keys and trust, the
 * side (server or client), and the policy: TLS 1.3 and 1.2 only, optional cipher suites, ALPN protocols, the
 * handshake timeout, and for clients hostname verification (on by default) and the server name to send (SNI).
 * Pass it to {@link io.pxj.runtime.ProtocolOptions.Builder#tls(TlsConfig)}.
 *
 * <p>Immutable and thread-safe; one instance is shared by every connection of a server or client, and so are its
 * {@link #stats()}.
 */
public final class TlsConfig {
    /** The default bound on a handshake: a peer that has not finished it by then is disconnected. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link #maxHandshakes()}: about 60 MiB of handshake buffers at the most. */
    public static final int DEFAULT_MAX_HANDSHAKES = 1024;
    /** The protocol versions PxJ speaks; older ones are refused. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final boolean client;
    private final String[] protocols;
    private final String[] cipherSuites;      // null: the context's defaults
    private final String[] applicationProtocols;
    private final Duration handshakeTimeout;
    private final int maxHandshakes;
    private final boolean verifyHostname;
    private final String serverName;          // client: null = the connect address's host
    private final TlsStats stats = new TlsStats();

    private TlsConfig(Builder b) {
        this.context = b.context;
        this.client = b.client;
        this.protocols = b.protocols.toArray(String[]::new);
        this.cipherSuites = b.cipherSuites == null ? null : b.cipherSuites.toArray(String[]::new);
        this.applicationProtocols = b.applicationProtocols.toArray(String[]::new);
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxHandshakes = b.maxHandshakes;
        this.verifyHostname = b.verifyHostname;
        this.serverName = b.serverName;
    }

    /** A server-side configuration with the key material of {@code context}. */
    public static Builder server(SSLContext context) {
        return new Builder(Objects.requireNonNull(context, "context"), false);
    }

    /** A client-side configuration trusting what {@code context} trusts. */
    public static Builder client(SSLContext context) {
        return new Builder(Objects.requireNonNull(context, "context"), true);
    }

    /** A client-side configuration with the JDK's default trust store ({@link SSLContext#getDefault()}). */
    public static Builder client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext: " + e.getMessage(), e);
        }
    }

    public SSLContext context() {
        return context;
    }

    public boolean isClient() {
        return client;
    }

    /** The enabled protocol versions, a non-empty subset of {@link #SUPPORTED_PROTOCOLS}. */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The enabled cipher suites, or an empty list for the context's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites == null ? List.of() : List.of(cipherSuites);
    }

    /** The ALPN protocols offered (client) or accepted (server), in preference order; empty = no ALPN. */
    public List<String> applicationProtocols() {
        return List.of(applicationProtocols);
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How many connections of this configuration may be in their handshake at once; one more is closed at once
     * (reset) and counted in {@link TlsStats#handshakesRefused()}. Bounds what a flood of unfinished handshakes
     * costs (buffers and the handshake's CPU) however fast it arrives.
     */
    public int maxHandshakes() {
        return maxHandshakes;
    }

    /** Client only: whether the server's certificate must match the host name (HTTPS endpoint identification). */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The counters of every connection made with this configuration. */
    public TlsStats stats() {
        return stats;
    }

    /**
     * A new engine for one connection, configured with this policy.
     *
     * @param peer client only: the address connected to; its host name is sent as SNI and verified against the
     *             server's certificate (unless {@link Builder#serverName} overrides it)
     */
    public SSLEngine newEngine(InetSocketAddress peer) {
        SSLEngine engine;
        String host = null;
        if (client) {
            host = serverName != null ? serverName : peer == null ? null : peer.getHostString();
            engine = host == null ? context.createSSLEngine() : context.createSSLEngine(host, peer.getPort());
        } else {
            engine = context.createSSLEngine();
        }
        engine.setUseClientMode(client);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        if (cipherSuites != null) {
            p.setCipherSuites(cipherSuites);
        }
        if (applicationProtocols.length > 0) {
            p.setApplicationProtocols(applicationProtocols);
        }
        if (client) {
            if (verifyHostname) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (host != null && isDnsName(host)) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** SNI carries DNS names only: not IP literals. */
    private static boolean isDnsName(String host) {
        return !host.isEmpty() && !host.contains(":") && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    @Override
    public String toString() {
        return "TlsConfig[" + (client ? "client" : "server") + ", protocols=" + Arrays.toString(protocols)
                + ", alpn=" + Arrays.toString(applicationProtocols) + ", handshakeTimeout=" + handshakeTimeout
                + ", maxHandshakes=" + maxHandshakes
                + (client ? ", verifyHostname=" + verifyHostname : "") + "]";
    }

    /** Builder; every setter validates its argument and names it in the exception. */
    public static final class Builder {
        private final SSLContext context;
        private final boolean client;
        private List<String> protocols = SUPPORTED_PROTOCOLS;
        private List<String> cipherSuites;
        private List<String> applicationProtocols = List.of();
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxHandshakes = DEFAULT_MAX_HANDSHAKES;
        private boolean verifyHostname = true;
        private String serverName;

        private Builder(SSLContext context, boolean client) {
            this.context = context;
            this.client = client;
        }

        /** The protocol versions to enable: any of {@code TLSv1.3}, {@code TLSv1.2}. */
        public Builder protocols(String... versions) {
            if (versions == null || versions.length == 0) {
                throw new IllegalArgumentException("protocols: at least one of " + SUPPORTED_PROTOCOLS);
            }
            List<String> list = new ArrayList<>();
            for (String v : versions) {
                if (!SUPPORTED_PROTOCOLS.contains(v)) {
                    throw new IllegalArgumentException("protocols: unsupported TLS version '" + v + "'; PxJ speaks "
                            + SUPPORTED_PROTOCOLS + " only");
                }
                list.add(v);
            }
            this.protocols = List.copyOf(list);
            return this;
        }

        /** The cipher suites to enable, each one the context supports; none given = the context's defaults. */
        public Builder cipherSuites(String... suites) {
            if (suites == null || suites.length == 0) {
                this.cipherSuites = null;
                return this;
            }
            Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            for (String s : suites) {
                if (!supported.contains(s)) {
                    throw new IllegalArgumentException("cipherSuites: '" + s + "' is not supported by the "
                            + context.getProvider().getName() + " SSLContext");
                }
            }
            this.cipherSuites = List.of(suites);
            return this;
        }

        /** ALPN protocols, in preference order (e.g. {@code "http/1.1"}). */
        public Builder applicationProtocols(String... names) {
            for (String n : names) {
                if (n == null || n.isEmpty()) {
                    throw new IllegalArgumentException("applicationProtocols: empty protocol name");
                }
            }
            this.applicationProtocols = List.of(names);
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** See {@link TlsConfig#maxHandshakes()}; default {@value TlsConfig#DEFAULT_MAX_HANDSHAKES}. */
        public Builder maxHandshakes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxHandshakes must be >= 1: " + max);
            }
            this.maxHandshakes = max;
            return this;
        }

        /** Client only: verify that the server's certificate names the host (default on). */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** Client only: the host name to send as SNI and to verify, instead of the connect address's host. */
        public Builder serverName(String host) {
            if (host != null && host.isBlank()) {
                throw new IllegalArgumentException("serverName must not be blank");
            }
            this.serverName = host;
            return this;
        }

        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}

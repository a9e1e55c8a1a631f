package io.pxj.runtime;

import static io.pxj.runtime.spi.support.Checks.notNegative;
import static io.pxj.runtime.spi.support.Checks.positive;

/**
 * Listening-socket options for {@link Px#server}. Immutable; build with {@link #builder()}. The canonical
 * constructor checks every value and names the one it refuses.
 *
 * @param backlog listen backlog; &gt; 0, default 1024
 * @param maxConnections connections beyond this are refused (closed at once and counted); 0 = unlimited (default)
 * @param acceptsPosted windows backend: AcceptEx operations kept posted; 0 = the runtime default (cores x 4)
 * @param ipv6Only for an IPv6 wildcard address: accept only IPv6 (true) or dual-stack (false, default)
 * @param refuseUnderMemoryPressure whether new connections are refused (closed at once and counted) while
 *     {@link Px#underMemoryPressure()}; default true. A protocol that can refuse politely itself (HTTP answers 503)
 *     turns it off.
 * @param deferAccept the protocol's client always sends first (HTTP, TLS): a connection is handed to the server only
 *     once its first bytes have arrived, so it is accepted, read and answered in one pass. The epoll transport sets
 *     TCP_DEFER_ACCEPT (1 s, as nginx's {@code deferred}: a client that stays silent is accepted after about a
 *     second anyway); the JDK transport and the windows backend accept at connect (the JDK has no such option;
 *     AcceptEx is posted without a receive buffer). Default false: a server-speaks-first protocol must not wait.
 */
public record ServerOptions(int backlog, int maxConnections, int acceptsPosted, boolean ipv6Only,
        boolean refuseUnderMemoryPressure, boolean deferAccept) {
    /**
     * Backlog 1024, no connection limit, the runtime's default AcceptEx count, dual-stack, refusing under pressure,
     * accepting at connect.
     */
    public static final ServerOptions DEFAULT = builder().build();

    /** Checks every value. @throws IllegalArgumentException naming the first value out of range */
    public ServerOptions {
        positive("backlog", backlog);
        notNegative("maxConnections", maxConnections);
        notNegative("acceptsPosted", acceptsPosted);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this instance. */
    public Builder toBuilder() {
        return new Builder().backlog(backlog).maxConnections(maxConnections).acceptsPosted(acceptsPosted)
                .ipv6Only(ipv6Only).refuseUnderMemoryPressure(refuseUnderMemoryPressure).deferAccept(deferAccept);
    }

    /**
     * Builder; each setter sets the component of the same name (see {@link ServerOptions}), and {@link #build()}
     * checks them all. Not thread-safe.
     */
    public static final class Builder {
        private int backlog = 1024;
        private int maxConnections;
        private int acceptsPosted;
        private boolean ipv6Only;
        private boolean refuseUnderMemoryPressure = true;
        private boolean deferAccept;

        private Builder() {}

        public Builder backlog(int backlog) { this.backlog = backlog; return this; }
        public Builder maxConnections(int max) { this.maxConnections = max; return this; }
        public Builder acceptsPosted(int n) { this.acceptsPosted = n; return this; }
        public Builder ipv6Only(boolean v6only) { this.ipv6Only = v6only; return this; }
        public Builder refuseUnderMemoryPressure(boolean on) { this.refuseUnderMemoryPressure = on; return this; }
        public Builder deferAccept(boolean on) { this.deferAccept = on; return this; }

        /** The options. @throws IllegalArgumentException naming the first value out of range */
        public ServerOptions build() {
            return new ServerOptions(backlog, maxConnections, acceptsPosted, ipv6Only, refuseUnderMemoryPressure,
                    deferAccept);
        }
    }
}

package io.pxj.runtime;

import static io.pxj.runtime.spi.support.Checks.notNegative;
import static io.pxj.runtime.spi.support.Checks.positive;

/**
 * Listening-socket options for {@link Px#server}. Immutable; build with {@link #builder()}.
 */
public final class ServerOptions {
    public static final ServerOptions DEFAULT = builder().build();

    private final int backlog;
    private final int maxConnections;
    private final int acceptsPosted;
    private final boolean ipv6Only;
    private final boolean refuseUnderMemoryPressure;

    private ServerOptions(Builder b) {
        this.backlog = b.backlog;
        this.maxConnections = b.maxConnections;
        this.acceptsPosted = b.acceptsPosted;
        this.ipv6Only = b.ipv6Only;
        this.refuseUnderMemoryPressure = b.refuseUnderMemoryPressure;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Listen backlog. */
    public int backlog() {
        return backlog;
    }

    /** Connections beyond this are refused (closed at once and counted); 0 = unlimited. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Windows backend: AcceptEx operations kept posted; 0 = the runtime default (cores x 4). */
    public int acceptsPosted() {
        return acceptsPosted;
    }

    /** For an IPv6 wildcard address: accept only IPv6 (true) or dual-stack (false, default). */
    public boolean ipv6Only() {
        return ipv6Only;
    }

    /**
     * Whether new connections are refused (closed at once and counted) while {@link Px#underMemoryPressure()};
     * default true. A protocol that can refuse politely itself (HTTP answers 503) turns it off.
     */
    public boolean refuseUnderMemoryPressure() {
        return refuseUnderMemoryPressure;
    }

    /** A builder initialised from this instance. */
    public Builder toBuilder() {
        return new Builder().backlog(backlog).maxConnections(maxConnections).acceptsPosted(acceptsPosted)
                .ipv6Only(ipv6Only).refuseUnderMemoryPressure(refuseUnderMemoryPressure);
    }

    @Override
    public String toString() {
        return "ServerOptions[backlog=" + backlog + ", maxConnections=" + maxConnections
                + ", acceptsPosted=" + acceptsPosted + ", ipv6Only=" + ipv6Only
                + ", refuseUnderMemoryPressure=" + refuseUnderMemoryPressure + "]";
    }

    /** Builder; every setter validates its argument and names it in the exception. */
    public static final class Builder {
        private int backlog = 1024;
        private int maxConnections;
        private int acceptsPosted;
        private boolean ipv6Only;
        private boolean refuseUnderMemoryPressure = true;

        private Builder() {}

        public Builder backlog(int backlog) {
            this.backlog = positive("backlog", backlog);
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = notNegative("maxConnections", max);
            return this;
        }

        public Builder acceptsPosted(int n) {
            this.acceptsPosted = notNegative("acceptsPosted", n);
            return this;
        }

        public Builder ipv6Only(boolean v6only) {
            this.ipv6Only = v6only;
            return this;
        }

        public Builder refuseUnderMemoryPressure(boolean refuse) {
            this.refuseUnderMemoryPressure = refuse;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}

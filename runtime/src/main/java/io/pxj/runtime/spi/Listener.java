package io.pxj.runtime.spi;

import java.net.InetSocketAddress;

/** A backend's listening socket. */
public interface Listener {
    InetSocketAddress localAddress();

    /** Stops accepting and closes the listening socket (not the accepted connections). Idempotent. */
    void close();

    /** Backend-specific counters for this listener (e.g. "acceptsPosted", "socketsReused"). */
    java.util.Map<String, Long> counters();
}

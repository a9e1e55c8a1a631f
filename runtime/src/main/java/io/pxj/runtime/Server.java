package io.pxj.runtime;

import java.net.InetSocketAddress;

/**
 * A listening server made by {@link Px#server}.
 *
 * <p>Threading: all methods are thread-safe.
 */
public interface Server extends AutoCloseable {
    InetSocketAddress localAddress();

    /** Connections currently open. */
    int activeConnections();

    /** Connections accepted since start. */
    long acceptedConnections();

    /** Connections refused because a limit was reached (max connections, memory soft limit). */
    long refusedConnections();

    /**
     * Stops accepting (the listening socket is closed) without touching open connections: the first step of a
     * graceful shutdown that lets in-flight requests finish. Idempotent; {@link #close()} is still needed.
     */
    void stopAccepting();

    /** Stops accepting and closes this server's connections gracefully. Idempotent. */
    @Override
    void close();
}
